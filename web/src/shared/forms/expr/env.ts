// What an expression can read: answers, choice labels, the current value,
// the repeat position and the clock.

import type { Clock } from './dates.ts';

export interface Env {
  /**
   * Returns the answers of question `name`: one item for an ordinary question
   * (an empty string when blank), one per repeat instance for a question inside
   * a repeat, or undefined when the form has no such question.
   */
  answers(name: string): string[] | undefined;
  /** Returns the label of choice `value` of the select question `field`. */
  choiceLabel(field: string, value: string): string | undefined;
  /** Returns the value `.` stands for, inside a constraint. */
  current(): string | undefined;
  /** Returns the 1-based index of the repeat instance being evaluated. */
  position(): number | undefined;
  clock(): Clock;
}

/** An Env backed by maps, for tests and callers holding all answers in memory. */
export class MapEnv implements Env {
  readonly answersByName = new Map<string, string[]>();
  /** Labels by select question, then by choice value. */
  readonly choiceLabels = new Map<string, Map<string, string>>();
  currentValue: string | undefined = undefined;
  positionValue: number | undefined = undefined;

  constructor(private readonly clockValue: Clock) {}

  /** Sets the answer of an ordinary question. */
  withAnswer(name: string, value: string): this {
    this.answersByName.set(name, [value]);
    return this;
  }

  answers(name: string): string[] | undefined {
    return this.answersByName.get(name);
  }

  choiceLabel(field: string, value: string): string | undefined {
    return this.choiceLabels.get(field)?.get(value);
  }

  current(): string | undefined {
    return this.currentValue;
  }

  position(): number | undefined {
    return this.positionValue;
  }

  clock(): Clock {
    return this.clockValue;
  }
}
