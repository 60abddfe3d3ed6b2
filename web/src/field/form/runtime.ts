// Live state of a questionnaire while the agent fills it: which questions
// show (relevant), which are required or read-only, calculated values, and
// the constraint and required errors, all evaluated with the shared
// expression language on every change.

import { evaluate, parse, type Clock, type Env, type Expr, formatNumber } from '../../shared/forms/expr';
import { toBoolean, toText } from '../../shared/forms/expr/value';
import { CHOICE_PREFIX, parseChoiceFilter } from '../../shared/forms/filter';
import type { Answer, Answers, Choice, FormDefinition, LangText, Question } from '../../shared/forms/model';

export interface QuestionState {
  question: Question;
  /** Names of the groups around it, outermost first. */
  path: string[];
  relevant: boolean;
  required: boolean;
  readOnly: boolean;
  /** Choices a select question offers now, after its choice_filter. */
  choices: Choice[];
  /** Set when the answer breaks a rule. */
  problem: { code: 'required' | 'constraint' | 'expression'; message: LangText | null } | null;
}

export interface FormState {
  /** The answers with calculations applied; non-relevant answers are kept but ignored. */
  answers: Answers;
  questions: QuestionState[];
  /** True when no relevant question has a problem. */
  valid: boolean;
}

const parsed = new Map<string, Expr | Error>();

function compile(text: string): Expr {
  let expr = parsed.get(text);
  if (expr === undefined) {
    try {
      expr = parse(text);
    } catch (error) {
      expr = error instanceof Error ? error : new Error(String(error));
    }
    parsed.set(text, expr);
  }
  if (expr instanceof Error) throw expr;
  return expr;
}

/** An answer as the expression language reads it: numbers in canonical form, selections space-separated. */
export function answerText(answer: Answer | undefined): string {
  if (answer === null || answer === undefined) return '';
  if (typeof answer === 'number') return formatNumber(answer);
  if (typeof answer === 'string') return answer;
  if (answer.every((item) => typeof item === 'string')) return answer.join(' ');
  return '';
}

export function isBlank(answer: Answer | undefined): boolean {
  return answerText(answer).trim() === '';
}

export function deviceClock(now: number): Clock {
  return { utcMs: now, offsetMinutes: -new Date(now).getTimezoneOffset() };
}

class AnswersEnv implements Env {
  currentValue: string | undefined;
  /** The choice a choice_filter is testing. */
  choice: Choice | undefined;

  constructor(
    private readonly definition: FormDefinition,
    private readonly byName: Map<string, Question>,
    private readonly values: Answers,
    private readonly hidden: Set<string>,
    private readonly clockValue: Clock,
  ) {}

  answers(name: string): string[] | undefined {
    if (name.startsWith(CHOICE_PREFIX) && this.choice !== undefined) {
      const column = name.slice(CHOICE_PREFIX.length);
      return [column === 'name' ? this.choice.name : (this.choice.extra?.[column] ?? '')];
    }
    if (!this.byName.has(name)) return undefined;
    // A question that does not show counts as blank, as in ODK.
    return [this.hidden.has(name) ? '' : answerText(this.values[name])];
  }

  choiceLabel(field: string, value: string): string | undefined {
    const list = this.byName.get(field)?.list_name;
    const choice = list === undefined ? undefined : this.definition.choices[list]?.find((c) => c.name === value);
    return choice?.label?.es ?? choice?.label?.en;
  }

  current(): string | undefined {
    return this.currentValue;
  }

  position(): number | undefined {
    return undefined;
  }

  clock(): Clock {
    return this.clockValue;
  }
}

function flatten(questions: Question[], path: string[], out: Array<{ question: Question; path: string[] }>): void {
  for (const question of questions) {
    out.push({ question, path });
    // NOTE: repeats are shown as one instance of their questions; the
    // shipped visit forms have none.
    if (question.children) flatten(question.children, [...path, question.name], out);
  }
}

/** Evaluates a condition column; a blank column yields `fallback`. */
function condition(text: string | undefined, env: AnswersEnv, fallback: boolean): boolean {
  if (text === undefined || text.trim() === '') return fallback;
  const trimmed = text.trim();
  if (trimmed === 'yes' || trimmed === 'true' || trimmed === 'true()') return true;
  if (trimmed === 'no' || trimmed === 'false' || trimmed === 'false()') return false;
  return toBoolean(evaluate(compile(trimmed), env));
}

function calculatedAnswer(question: Question, text: string): Answer {
  if ((question.type === 'integer' || question.type === 'decimal') && text.trim() !== '') {
    const value = Number(text);
    return Number.isFinite(value) ? value : text;
  }
  return text;
}

/**
 * Evaluates the form for `input`. Questions with appearance "external" take
 * their value from `external` when it has one, and their calculation only
 * otherwise, as the server's validator does.
 */
export function evaluateForm(definition: FormDefinition, input: Answers, now: number, external: Record<string, Answer> = {}): FormState {
  const flat: Array<{ question: Question; path: string[] }> = [];
  flatten(definition.questions, [], flat);
  const byName = new Map(flat.map((entry) => [entry.question.name, entry.question]));
  const answers: Answers = { ...input };
  const hidden = new Set<string>();
  const clock = deviceClock(now);
  const env = new AnswersEnv(definition, byName, answers, hidden, clock);

  // Two rounds settle calculations and relevance that refer to later questions.
  for (let round = 0; round < 2; round++) {
    hidden.clear();
    for (const { question, path } of flat) {
      env.currentValue = undefined;
      let shows = path.every((group) => !hidden.has(group));
      try {
        shows = shows && condition(question.relevant, env, true);
      } catch {
        shows = false;
      }
      if (!shows) {
        hidden.add(question.name);
        continue;
      }
      const fromApp = (question.appearance ?? '').includes('external') && question.name in external;
      if (fromApp) {
        answers[question.name] = external[question.name] ?? null;
      } else if (question.calculation !== undefined && question.calculation.trim() !== '') {
        try {
          answers[question.name] = calculatedAnswer(question, toText(evaluate(compile(question.calculation), env)));
        } catch {
          answers[question.name] = null;
        }
      }
    }
  }

  const states: QuestionState[] = flat.map(({ question, path }) => {
    const relevant = !hidden.has(question.name);
    const state: QuestionState = { question, path, relevant, required: false, readOnly: false, choices: [], problem: null };
    if (!relevant) return state;
    state.choices = filteredChoices(definition, question, env);
    try {
      env.currentValue = undefined;
      state.required = condition(question.required, env, false);
      state.readOnly = condition(question.read_only, env, false) || question.type === 'calculate';
      const answer = answers[question.name];
      if (isBlank(answer)) {
        if (state.required) state.problem = { code: 'required', message: question.required_message ?? null };
      } else if (question.constraint !== undefined && question.constraint.trim() !== '') {
        env.currentValue = answerText(answer);
        if (!condition(question.constraint, env, true)) {
          state.problem = { code: 'constraint', message: question.constraint_message ?? null };
        }
      }
    } catch {
      state.problem = { code: 'expression', message: null };
    }
    return state;
  });

  return { answers, questions: states, valid: states.every((s) => !s.relevant || s.problem === null) };
}

/** The answers to submit: relevant ones only, in the typed form the model expects. */
export function submittedAnswers(state: FormState): Answers {
  const out: Answers = {};
  for (const { question, relevant } of state.questions) {
    if (!relevant || question.type === 'group' || question.type === 'repeat' || question.type === 'note') continue;
    const answer = state.answers[question.name];
    out[question.name] = answer === undefined || isBlank(answer) ? null : answer;
  }
  return out;
}

/** Choices of a select question that pass its choice_filter; all of them when the filter cannot run. */
function filteredChoices(definition: FormDefinition, question: Question, env: AnswersEnv): Choice[] {
  const all = question.list_name === undefined ? [] : (definition.choices[question.list_name] ?? []);
  const filter = question.choice_filter?.trim();
  if (filter === undefined || filter === '') return all;
  let expr: Expr;
  try {
    expr = parseChoiceFilter(filter).expr;
  } catch {
    return all;
  }
  const kept = all.filter((choice) => {
    env.choice = choice;
    try {
      return toBoolean(evaluate(expr, env));
    } catch {
      return true;
    } finally {
      env.choice = undefined;
    }
  });
  return kept;
}

/** Applies the `default` column to questions that have no answer yet. */
export function withDefaults(definition: FormDefinition, answers: Answers): Answers {
  const flat: Array<{ question: Question; path: string[] }> = [];
  flatten(definition.questions, [], flat);
  const out: Answers = { ...answers };
  for (const { question } of flat) {
    if (question.default !== undefined && !(question.name in out)) {
      out[question.name] = calculatedAnswer(question, question.default);
    }
  }
  return out;
}
