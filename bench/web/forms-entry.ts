// Page-side entry of the forms benchmark: the field app's form runtime, as
// FormView calls it on every answer change, plus a timing loop.

import { evaluateForm } from '../../web/src/field/form/runtime';
import type { Answers, FormDefinition } from '../../web/src/shared/forms/model';

export interface Change {
  name: string;
  value: string | number | string[];
}

/**
 * Applies each change in turn and times the full re-evaluation that follows
 * it. Returns one duration per change in milliseconds.
 */
export function timeChanges(definition: FormDefinition, initial: Answers, changes: Change[]): number[] {
  let answers: Answers = { ...initial };
  const durations: number[] = [];
  for (const change of changes) {
    answers = { ...answers, [change.name]: change.value };
    const start = performance.now();
    const state = evaluateForm(definition, answers, Date.now());
    durations.push(performance.now() - start);
    if (state.questions.length === 0) throw new Error('form evaluated to no questions');
  }
  return durations;
}

/** Times `repeats` back-to-back evaluations and returns the mean in milliseconds. */
export function timeBatch(definition: FormDefinition, initial: Answers, changes: Change[], repeats: number): number {
  let answers: Answers = { ...initial };
  const start = performance.now();
  for (let i = 0; i < repeats; i++) {
    const change = changes[i % changes.length];
    answers = { ...answers, [change.name]: change.value };
    evaluateForm(definition, answers, Date.now());
  }
  return (performance.now() - start) / repeats;
}

/** Counts relevant, constraint and calculation columns of a form. */
export function countExpressions(definition: FormDefinition): { relevant: number; constraint: number; calculation: number } {
  const counts = { relevant: 0, constraint: 0, calculation: 0 };
  for (const question of definition.questions) {
    if (question.relevant) counts.relevant++;
    if (question.constraint) counts.constraint++;
    if (question.calculation) counts.calculation++;
  }
  return counts;
}

/** Evaluates once and counts shown questions, problems and blank calculations, as a check that the expressions run. */
export function relevantCount(definition: FormDefinition, answers: Answers): { relevant: number; problems: number; blankCalculations: number } {
  const state = evaluateForm(definition, answers, Date.now());
  return {
    relevant: state.questions.filter((q) => q.relevant).length,
    problems: state.questions.filter((q) => q.relevant && q.problem !== null).length,
    // A calculation that fails to evaluate leaves a blank answer.
    blankCalculations: state.questions.filter((q) => q.relevant && q.question.calculation && (state.answers[q.question.name] ?? '') === '').length,
  };
}
