// Validation of submitted answers against a form definition, with the same
// rules and results as ronda_forms::validate::validate_submission on the
// server (shared vectors in spec/forms/validation.json): relevance and
// calculations in dependency order, answers to questions that are not
// relevant dropped, then required, type, choices (with choice_filter) and
// constraint for each relevant answer.

import { fitsType, isNumber } from './answer-types.ts';
import { type Clock, parseClock } from './expr/dates.ts';
import type { Env } from './expr/env.ts';
import { evaluate } from './expr/evaluate.ts';
import { parse } from './expr/parser.ts';
import { references } from './expr/references.ts';
import { formatNumber, toBoolean, toNumber, toText, type Value } from './expr/value.ts';
import type { Expr } from './expr/ast.ts';
import { CHOICE_PREFIX, parseChoiceFilter } from './filter.ts';
import type {
  Answer,
  Answers,
  Choice,
  FormDefinition,
  Question,
  QuestionType,
  Recomputed,
  SubmissionContext,
  SubmissionProblem,
  Validated,
} from './model.ts';
import { langText } from './model.ts';
import { messages as msg } from './validate-messages.ts';

export type ValidationResult = { ok: true; value: Validated } | { ok: false; problems: SubmissionProblem[] };

interface Node {
  question: Question;
  parent: number | undefined;
  /** The enclosing repeat, if any. */
  repeat: number | undefined;
}

const hasAnswer = (type: QuestionType): boolean => type !== 'note' && type !== 'group' && type !== 'repeat';

export function flatten(questions: Question[]): Node[] {
  const out: Node[] = [];
  const push = (list: Question[], parent: number | undefined, repeat: number | undefined): void => {
    for (const question of list) {
      const index = out.length;
      out.push({ question, parent, repeat });
      push(question.children ?? [], index, question.type === 'repeat' ? index : repeat);
    }
  };
  push(questions, undefined, undefined);
  return out;
}

const parsed = new Map<string, Expr>();
function parseCached(text: string): Expr {
  let expr = parsed.get(text);
  if (expr === undefined) {
    expr = parse(text);
    parsed.set(text, expr);
  }
  return expr;
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Node indices ordered after parents and after what relevant, calculation and repeat_count read; or a node in a cycle. */
export function evaluationOrder(nodes: Node[]): { order: number[] } | { cycle: number } {
  const byName = new Map(nodes.map((node, index) => [node.question.name, index]));
  const dependencies = nodes.map((node) => {
    const out: number[] = node.parent === undefined ? [] : [node.parent];
    const q = node.question;
    for (const text of [q.relevant, q.calculation, q.repeat_count]) {
      if (text === undefined) continue;
      let expr: Expr;
      try {
        expr = parseCached(text);
      } catch {
        continue;
      }
      for (const name of references(expr)) {
        const index = byName.get(name);
        if (index !== undefined) out.push(index);
      }
    }
    return out;
  });
  const state = new Uint8Array(nodes.length);
  const order: number[] = [];
  for (let start = 0; start < nodes.length; start++) {
    if (state[start] !== 0) continue;
    const stack: [number, number][] = [[start, 0]];
    state[start] = 1;
    for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
      const [node, next] = top;
      const dependency = dependencies[node]?.[next];
      if (dependency === undefined) {
        state[node] = 2;
        order.push(node);
        continue;
      }
      stack.push([node, next + 1]);
      if (state[dependency] === 0) {
        state[dependency] = 1;
        stack.push([dependency, 0]);
      } else if (state[dependency] === 1) {
        return { cycle: dependency };
      }
    }
  }
  return { order };
}

/** Submitted JSON as expression text; undefined when the shape does not fit. */
export function answerText(type: QuestionType, answer: Answer | undefined): string | undefined {
  if (answer === null || answer === undefined) return '';
  if (typeof answer === 'string') return answer;
  if (typeof answer === 'number') return formatNumber(answer);
  if (Array.isArray(answer) && type === 'select_multiple' && answer.every((item) => typeof item === 'string')) {
    return answer.join(' ');
  }
  return undefined;
}

function sameValue(left: string, right: string): boolean {
  if (left === right) return true;
  return isNumber(left) && isNumber(right) && Number(left) === Number(right);
}

const isObject = (value: unknown): value is Answers => typeof value === 'object' && value !== null && !Array.isArray(value);

class Pass {
  readonly nodes: Node[];
  readonly byName: Map<string, number>;
  readonly values: string[][];
  readonly relevant: boolean[][];
  readonly badShape = new Set<string>();
  readonly problems: SubmissionProblem[] = [];
  readonly dropped: string[] = [];
  readonly recomputed: Recomputed[] = [];

  constructor(
    readonly definition: FormDefinition,
    readonly answers: Answers,
    readonly clock: Clock,
    readonly external: Record<string, string>,
  ) {
    this.nodes = flatten(definition.questions);
    this.byName = new Map(this.nodes.map((node, index) => [node.question.name, index]));
    this.values = this.nodes.map(() => []);
    this.relevant = this.nodes.map(() => []);
  }

  node(index: number): Node {
    const node = this.nodes[index];
    if (node === undefined) throw new RangeError(`no question ${index}`);
    return node;
  }

  path(index: number, at: number): string {
    const node = this.node(index);
    return node.repeat === undefined ? node.question.name : `${this.node(node.repeat).question.name}[${at}].${node.question.name}`;
  }

  count(repeat: number): number {
    return Number(this.values[repeat]?.[0] ?? '0') || 0;
  }

  instances(index: number): number {
    const repeat = this.node(index).repeat;
    return repeat === undefined ? 1 : this.count(repeat);
  }

  scope(index: number, at: number, current?: string, choice?: Choice): Env {
    const repeat = this.node(index).repeat;
    const instance = repeat === undefined ? undefined : ([repeat, at] as const);
    return {
      answers: (name: string): string[] | undefined => {
        if (name.startsWith(CHOICE_PREFIX)) {
          if (choice === undefined) return undefined;
          const column = name.slice(CHOICE_PREFIX.length);
          if (column === 'name') return [choice.name];
          if (column === 'label') {
            const label = choice.label === undefined ? undefined : langText(choice.label, this.definition.default_language);
            return label ? [label] : undefined;
          }
          return [choice.extra?.[column] ?? ''];
        }
        const found = this.byName.get(name);
        if (found === undefined) return undefined;
        const values = this.values[found] ?? [];
        const own = this.node(found).repeat;
        if (own !== undefined && instance !== undefined && own === instance[0]) return [values[instance[1]] ?? ''];
        if (own === undefined) return [values[0] ?? ''];
        return [...values];
      },
      choiceLabel: (field: string, value: string): string | undefined => {
        const found = this.byName.get(field);
        const list = found === undefined ? undefined : this.node(found).question.list_name;
        const option = list === undefined ? undefined : this.definition.choices[list]?.find((c) => c.name === value);
        const label = option?.label === undefined ? '' : langText(option.label, this.definition.default_language);
        return label === '' ? undefined : label;
      },
      current: () => current,
      position: () => (instance === undefined ? undefined : instance[1] + 1),
      clock: () => this.clock,
    };
  }

  submitted(index: number, at: number): Answer | undefined {
    const node = this.node(index);
    if (node.repeat === undefined) return this.answers[node.question.name];
    const items = this.answers[this.node(node.repeat).question.name];
    if (!Array.isArray(items)) return undefined;
    const item: unknown = items[at];
    return isObject(item) ? item[node.question.name] : undefined;
  }

  eval(index: number, at: number, column: string, text: string, current?: string, choice?: Choice): Value | undefined {
    try {
      return evaluate(parseCached(text), this.scope(index, at, current, choice));
    } catch (error) {
      this.problems.push(msg.expressionError(this.path(index, at), column, errorText(error)));
      return undefined;
    }
  }

  checkKeys(): void {
    for (const [key, value] of Object.entries(this.answers)) {
      const index = this.byName.get(key);
      const node = index === undefined ? undefined : this.node(index);
      if (node !== undefined && node.repeat === undefined && node.question.type === 'repeat') {
        if (!Array.isArray(value)) {
          this.problems.push(msg.invalidType(key, 'repeat', '…'));
          continue;
        }
        (value as unknown[]).forEach((item, at) => {
          if (!isObject(item)) {
            this.problems.push(msg.invalidType(`${key}[${at}]`, 'repeat', '…'));
            return;
          }
          for (const inner of Object.keys(item)) {
            const found = this.byName.get(inner);
            const inside = found !== undefined && this.node(found).repeat === index && hasAnswer(this.node(found).question.type);
            if (!inside) this.problems.push(msg.unknownQuestion(`${key}[${at}].${inner}`));
          }
        });
      } else if (!(node !== undefined && node.repeat === undefined && hasAnswer(node.question.type))) {
        this.problems.push(msg.unknownQuestion(key));
      }
    }
  }

  parentRelevant(index: number, at: number): boolean {
    const node = this.node(index);
    if (node.parent === undefined) return true;
    const slot = this.node(node.parent).repeat === node.repeat ? at : 0;
    return this.relevant[node.parent]?.[slot] ?? false;
  }

  compute(index: number): void {
    const question = this.node(index).question;
    const relevant: boolean[] = [];
    const values: string[] = [];
    this.relevant[index] = relevant;
    this.values[index] = values;
    const instances = this.instances(index);
    for (let at = 0; at < instances; at++) {
      let isRelevant = this.parentRelevant(index, at);
      if (isRelevant && question.relevant !== undefined) {
        const outcome = this.eval(index, at, 'relevant', question.relevant);
        isRelevant = outcome === undefined || toBoolean(outcome);
      }
      relevant.push(isRelevant);
      values.push(this.value(index, at, isRelevant));
    }
  }

  isComputed(question: Question): boolean {
    return question.calculation !== undefined || question.appearance === 'external';
  }

  value(index: number, at: number, isRelevant: boolean): string {
    const question = this.node(index).question;
    const submitted = this.submitted(index, at);
    const path = this.path(index, at);
    if (question.type === 'repeat') {
      const found = Array.isArray(submitted) ? submitted.length : 0;
      if (!isRelevant) {
        if (found > 0) this.dropped.push(path);
        return '0';
      }
      if (question.repeat_count !== undefined) {
        const expected = this.eval(index, at, 'repeat_count', question.repeat_count);
        if (expected !== undefined) {
          const number = toNumber(expected, this.clock.offsetMinutes);
          if (Number.isFinite(number) && number !== found) this.problems.push(msg.repeatCount(path, formatNumber(number), found));
        }
      }
      return String(found);
    }
    let submittedText = answerText(question.type, submitted);
    if (submittedText === undefined) {
      this.badShape.add(`${index}/${at}`);
      this.problems.push(msg.invalidType(path, question.type, '…'));
      submittedText = '';
    }
    if (!isRelevant) {
      if (submittedText !== '') this.dropped.push(path);
      return '';
    }
    let computed: string | undefined;
    const external = question.appearance === 'external' ? this.external[question.name] : undefined;
    if (external !== undefined) {
      computed = external;
    } else if (question.calculation !== undefined) {
      const result = this.eval(index, at, 'calculation', question.calculation);
      // NaN (a calculation over blanks) is stored blank.
      computed = result === undefined || (result.type === 'number' && Number.isNaN(result.value)) ? '' : toText(result);
    }
    if (computed === undefined) return submittedText;
    if (submittedText !== '' && !sameValue(submittedText, computed)) {
      this.recomputed.push({ path, submitted: submittedText, computed });
    }
    return computed;
  }

  check(index: number): void {
    const question = this.node(index).question;
    if (!hasAnswer(question.type) || this.isComputed(question) || question.type === 'calculate') return;
    const values = this.values[index] ?? [];
    values.forEach((value, at) => {
      if (!(this.relevant[index]?.[at] ?? false) || this.badShape.has(`${index}/${at}`)) return;
      const path = this.path(index, at);
      if (question.required !== undefined && value === '') {
        const outcome = this.eval(index, at, 'required', question.required);
        if (outcome !== undefined && toBoolean(outcome)) this.problems.push(msg.required(path, question.required_message));
      }
      if (value === '') return;
      if (!fitsType(question.type, value)) {
        this.problems.push(msg.invalidType(path, question.type, value));
        return;
      }
      if (question.type === 'select_one' || question.type === 'select_multiple') {
        const allowed = this.allowedChoices(index, at);
        const bad = value.split(' ').find((name) => name !== '' && !allowed.includes(name));
        if (bad !== undefined) {
          this.problems.push(msg.invalidChoice(path, bad));
          return;
        }
      }
      if (question.constraint !== undefined) {
        const outcome = this.eval(index, at, 'constraint', question.constraint, value);
        if (outcome !== undefined && !toBoolean(outcome)) this.problems.push(msg.constraint(path, question.constraint_message));
      }
    });
  }

  allowedChoices(index: number, at: number): string[] {
    const question = this.node(index).question;
    const choices = question.list_name === undefined ? undefined : this.definition.choices[question.list_name];
    if (choices === undefined) return [];
    if (question.choice_filter === undefined) return choices.map((c) => c.name);
    let expr: Expr;
    try {
      expr = parseChoiceFilter(question.choice_filter).expr;
    } catch (error) {
      this.problems.push(msg.expressionError(this.path(index, at), 'choice_filter', errorText(error)));
      return [];
    }
    return choices
      .filter((choice) => {
        try {
          return toBoolean(evaluate(expr, this.scope(index, at, undefined, choice)));
        } catch {
          return false;
        }
      })
      .map((c) => c.name);
  }

  output(repeat: number | undefined, slot: number): Answers {
    const out: Answers = {};
    this.nodes.forEach((node, index) => {
      if (node.repeat !== repeat || !(this.relevant[index]?.[slot] ?? false)) return;
      const name = node.question.name;
      if (node.question.type === 'repeat') {
        out[name] = Array.from({ length: this.count(index) }, (_, i) => this.output(index, i));
        return;
      }
      if (!hasAnswer(node.question.type)) return;
      const value = this.values[index]?.[slot] ?? '';
      if (value === '') return;
      out[name] = this.isComputed(node.question) ? value : (this.submitted(index, slot) ?? value);
    });
    return out;
  }
}

/**
 * Checks `answers` against `definition` and returns the cleaned answers or
 * every problem found.
 */
export function validateSubmission(definition: FormDefinition, answers: Answers, context: SubmissionContext): ValidationResult {
  const clock = parseClock(context.now);
  if (clock === undefined) throw new RangeError(`invalid context.now ${context.now}`);
  const pass = new Pass(definition, answers, clock, context.external ?? {});
  const ordered = evaluationOrder(pass.nodes);
  if ('cycle' in ordered) return { ok: false, problems: [msg.dependencyCycle(pass.node(ordered.cycle).question.name)] };
  pass.checkKeys();
  for (const index of ordered.order) pass.compute(index);
  pass.nodes.forEach((_, index) => pass.check(index));
  if (pass.problems.length > 0) return { ok: false, problems: pass.problems };
  return { ok: true, value: { answers: pass.output(undefined, 0), dropped: pass.dropped, recomputed: pass.recomputed } };
}
