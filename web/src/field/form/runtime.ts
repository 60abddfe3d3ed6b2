// Live state of a questionnaire while the agent fills it: which questions
// show (relevant), which are required or read-only, calculated values, and
// the constraint and required errors, all evaluated with the shared
// expression language on every change. Repeat groups have one state per
// question per instance, and expressions inside an instance read the
// answers of that instance (see ./instances.ts for the stored shape).

import { evaluate, parse, type Clock, type Env, type Expr, formatNumber } from '../../shared/forms/expr';
import { toBoolean, toNumber, toText } from '../../shared/forms/expr/value';
import { CHOICE_PREFIX, parseChoiceFilter } from '../../shared/forms/filter';
import type { Answer, Answers, Choice, FormDefinition, LangText, Question } from '../../shared/forms/model';
import { flatten } from '../../shared/forms/validate';
import { instancesOf, newInstance, slotKey, typedDefault } from './instances';

/** Upper bound on the instances a repeat_count creates, so a mistaken expression cannot freeze the app. */
// NOTE: the server has no such bound, so a form whose repeat_count exceeds it
// cannot be submitted from the app.
export const MAX_REPEAT_INSTANCES = 500;

export interface QuestionState {
  question: Question;
  /** Names of the groups around it, outermost first. */
  path: string[];
  /** The answer's slot key: the name, or `repeat[index].name` inside a repeat. */
  key: string;
  /** The repeat instance the state belongs to, index from 0; null outside repeats. */
  instance: { repeat: string; index: number } | null;
  relevant: boolean;
  required: boolean;
  readOnly: boolean;
  /** Choices a select question offers now, after its choice_filter. */
  choices: Choice[];
  /** Set when the answer breaks a rule. */
  problem: { code: 'required' | 'constraint' | 'expression'; message: LangText | null } | null;
  /** For a repeat: its number of instances, and whether repeat_count fixes that number. */
  repeat?: { count: number; fixed: boolean };
}

export interface FormState {
  /** The answers with calculations applied; non-relevant answers are kept but ignored. */
  answers: Answers;
  /** In display order: each repeat is followed by the questions of its instances, instance by instance. */
  questions: QuestionState[];
  /** True when no relevant question has a problem. */
  valid: boolean;
}

type Node = ReturnType<typeof flatten>[number];

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

/** Copies the answers deep enough that repeat instances can be written in place. */
function copyAnswers(input: Answers, nodes: Node[]): Answers {
  const out: Answers = { ...input };
  for (const node of nodes) {
    if (node.question.type === 'repeat' && node.repeat === undefined && node.question.name in input) {
      out[node.question.name] = instancesOf(input, node.question.name).map((item) => ({ ...item }));
    }
  }
  return out;
}

/** The form's answers and relevance as expressions read them, from the top level or from one repeat instance. */
class FormEnv implements Env {
  /** The repeat node and instance index expressions run in; undefined at the top level. */
  scope: { repeat: number; at: number } | undefined;
  currentValue: string | undefined;
  /** The choice a choice_filter is testing. */
  choice: Choice | undefined;
  readonly hidden = new Set<string>();
  /** Instances per repeat node index. */
  readonly counts = new Map<number, number>();

  constructor(
    private readonly definition: FormDefinition,
    readonly nodes: Node[],
    private readonly byName: Map<string, number>,
    readonly values: Answers,
    private readonly clockValue: Clock,
  ) {}

  node(index: number): Node {
    const node = this.nodes[index];
    if (node === undefined) throw new Error(`no question at index ${index}`);
    return node;
  }

  key(index: number, at: number): string {
    const node = this.node(index);
    if (node.repeat === undefined) return node.question.name;
    return slotKey({ name: node.question.name, repeat: this.node(node.repeat).question.name, index: at });
  }

  value(index: number, at: number): Answer | undefined {
    const node = this.node(index);
    if (node.repeat === undefined) return this.values[node.question.name];
    return instancesOf(this.values, this.node(node.repeat).question.name)[at]?.[node.question.name];
  }

  setValue(index: number, at: number, value: Answer): void {
    const node = this.node(index);
    if (node.repeat === undefined) {
      this.values[node.question.name] = value;
      return;
    }
    const instance = (this.values[this.node(node.repeat).question.name] as Answers[] | undefined)?.[at];
    if (instance !== undefined) instance[node.question.name] = value;
  }

  /** Returns the text of one slot. A question that does not show counts as blank, as in ODK. */
  private slotText(index: number, at: number): string {
    if (this.hidden.has(this.key(index, at))) return '';
    if (this.node(index).question.type === 'repeat') return String(this.counts.get(index) ?? 0);
    return answerText(this.value(index, at));
  }

  answers(name: string): string[] | undefined {
    if (name.startsWith(CHOICE_PREFIX) && this.choice !== undefined) {
      const column = name.slice(CHOICE_PREFIX.length);
      return [column === 'name' ? this.choice.name : (this.choice.extra?.[column] ?? '')];
    }
    const index = this.byName.get(name);
    if (index === undefined) return undefined;
    const repeat = this.node(index).repeat;
    if (repeat === undefined) return [this.slotText(index, 0)];
    if (this.scope !== undefined && this.scope.repeat === repeat) return [this.slotText(index, this.scope.at)];
    // From outside its repeat, a question reads as the list of its instances' answers.
    const count = this.counts.get(repeat) ?? 0;
    return Array.from({ length: count }, (_, at) => this.slotText(index, at));
  }

  choiceLabel(field: string, value: string): string | undefined {
    const index = this.byName.get(field);
    const list = index === undefined ? undefined : this.node(index).question.list_name;
    const choice = list === undefined ? undefined : this.definition.choices[list]?.find((c) => c.name === value);
    return choice?.label?.es ?? choice?.label?.en;
  }

  current(): string | undefined {
    return this.currentValue;
  }

  position(): number | undefined {
    return this.scope === undefined ? undefined : this.scope.at + 1;
  }

  clock(): Clock {
    return this.clockValue;
  }

  /** Points expressions at the instance `at` of the node's repeat, or at the top level. */
  enter(index: number, at: number): void {
    const repeat = this.node(index).repeat;
    this.scope = repeat === undefined ? undefined : { repeat, at };
    this.currentValue = undefined;
  }
}

/** Evaluates a condition column; a blank column yields `fallback`. */
function condition(text: string | undefined, env: FormEnv, fallback: boolean): boolean {
  if (text === undefined || text.trim() === '') return fallback;
  const trimmed = text.trim();
  if (trimmed === 'yes' || trimmed === 'true' || trimmed === 'true()') return true;
  if (trimmed === 'no' || trimmed === 'false' || trimmed === 'false()') return false;
  return toBoolean(evaluate(compile(trimmed), env));
}

/** Counts the instances of a shown repeat: its repeat_count when it has one (adding or cutting stored instances to match), else the stored ones. */
function countInstances(index: number, env: FormEnv, definition: FormDefinition): number {
  const question = env.node(index).question;
  env.enter(index, 0);
  const stored = instancesOf(env.values, question.name);
  let count = stored.length;
  if (question.repeat_count !== undefined && question.repeat_count.trim() !== '') {
    let requested = Number.NaN;
    try {
      requested = toNumber(evaluate(compile(question.repeat_count), env), env.clock().offsetMinutes);
    } catch {
      // An expression error leaves the stored instances as they are.
    }
    if (Number.isFinite(requested)) {
      count = Math.min(MAX_REPEAT_INSTANCES, Math.max(0, Math.floor(requested)));
      const resized = stored.slice(0, count);
      while (resized.length < count) resized.push(newInstance(definition, question.name));
      env.values[question.name] = resized;
    }
  }
  return count;
}

/** Lists the node indices of the questions inside a repeat, in form order. */
function questionsInside(env: FormEnv, repeat: number): number[] {
  return env.nodes.flatMap((node, index) => (node.repeat === repeat ? [index] : []));
}

/** Lists the node indices with the instance index each is evaluated at, in display order. */
function slots(env: FormEnv): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  env.nodes.forEach((node, index) => {
    if (node.repeat !== undefined) return;
    out.push([index, 0]);
    if (node.question.type !== 'repeat') return;
    const inside = questionsInside(env, index);
    for (let at = 0; at < (env.counts.get(index) ?? 0); at++) {
      for (const innerIndex of inside) out.push([innerIndex, at]);
    }
  });
  return out;
}

function parentShows(env: FormEnv, index: number, at: number): boolean {
  const node = env.node(index);
  if (node.parent === undefined) return true;
  const parent = env.node(node.parent);
  return !env.hidden.has(env.key(node.parent, parent.repeat === node.repeat ? at : 0));
}

/** Computes the relevance of one slot and, when it shows, its calculated or external value. */
function evaluateSlot(env: FormEnv, index: number, at: number, external: Record<string, Answer>): void {
  const question = env.node(index).question;
  env.enter(index, at);
  let shows = parentShows(env, index, at);
  try {
    shows = shows && condition(question.relevant, env, true);
  } catch {
    shows = false;
  }
  if (!shows) {
    env.hidden.add(env.key(index, at));
    return;
  }
  if (question.type === 'repeat') return;
  const fromApp = env.node(index).repeat === undefined && (question.appearance ?? '').includes('external') && question.name in external;
  if (fromApp) {
    env.setValue(index, at, external[question.name] ?? null);
  } else if (question.calculation !== undefined && question.calculation.trim() !== '') {
    try {
      env.setValue(index, at, typedDefault(question, toText(evaluate(compile(question.calculation), env))));
    } catch {
      env.setValue(index, at, null);
    }
  }
}

/**
 * Evaluates the form for `input`. Questions with appearance "external" take
 * their value from `external` when it has one, and their calculation only
 * otherwise, as the server's validator does.
 */
export function evaluateForm(definition: FormDefinition, input: Answers, now: number, external: Record<string, Answer> = {}): FormState {
  const nodes = flatten(definition.questions);
  const byName = new Map(nodes.map((node, index) => [node.question.name, index]));
  const env = new FormEnv(definition, nodes, byName, copyAnswers(input, nodes), deviceClock(now));

  // Two rounds settle calculations and relevance that refer to later questions.
  for (let round = 0; round < 2; round++) {
    env.hidden.clear();
    for (const [index, node] of nodes.entries()) {
      if (node.repeat !== undefined) continue;
      evaluateSlot(env, index, 0, external);
      if (node.question.type !== 'repeat') continue;
      // A repeat is counted once its own relevance is known, and before its instances are evaluated.
      // A hidden repeat has no instances, as on the server, but its stored answers stay in the draft.
      const count = env.hidden.has(node.question.name) ? 0 : countInstances(index, env, definition);
      env.counts.set(index, count);
      const inside = questionsInside(env, index);
      for (let at = 0; at < count; at++) {
        for (const innerIndex of inside) evaluateSlot(env, innerIndex, at, external);
      }
    }
  }

  const states = slots(env).map(([index, at]) => questionState(env, definition, index, at));
  return { answers: env.values, questions: states, valid: states.every((s) => !s.relevant || s.problem === null) };
}

function groupPath(env: FormEnv, index: number): string[] {
  const path: string[] = [];
  for (let parent = env.node(index).parent; parent !== undefined; parent = env.node(parent).parent) {
    path.unshift(env.node(parent).question.name);
  }
  return path;
}

function questionState(env: FormEnv, definition: FormDefinition, index: number, at: number): QuestionState {
  const node = env.node(index);
  const question = node.question;
  const key = env.key(index, at);
  const relevant = !env.hidden.has(key);
  const state: QuestionState = {
    question,
    path: groupPath(env, index),
    key,
    instance: node.repeat === undefined ? null : { repeat: env.node(node.repeat).question.name, index: at },
    relevant,
    required: false,
    readOnly: false,
    choices: [],
    problem: null,
  };
  if (question.type === 'repeat') {
    const fixed = question.repeat_count !== undefined && question.repeat_count.trim() !== '';
    state.repeat = { count: env.counts.get(index) ?? 0, fixed };
  }
  if (!relevant) return state;
  env.enter(index, at);
  state.choices = filteredChoices(definition, question, env);
  try {
    env.currentValue = undefined;
    state.required = condition(question.required, env, false);
    state.readOnly = condition(question.read_only, env, false) || question.type === 'calculate';
    const answer = env.value(index, at);
    if (question.type === 'repeat' || question.type === 'group') return state;
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
}

const answerable = (question: Question): boolean => question.type !== 'group' && question.type !== 'repeat' && question.type !== 'note';

/**
 * The answers to submit: relevant ones only, in the typed form the model
 * expects, with each relevant repeat as an array of instance objects.
 */
export function submittedAnswers(state: FormState): Answers {
  const out: Answers = {};
  const instances = new Map<string, Answers[]>();
  for (const { question, relevant, instance, repeat } of state.questions) {
    if (!relevant) continue;
    if (repeat !== undefined) {
      const items = Array.from({ length: repeat.count }, (): Answers => ({}));
      instances.set(question.name, items);
      out[question.name] = items;
      continue;
    }
    if (!answerable(question)) continue;
    const stored =
      instance === null ? state.answers[question.name] : instancesOf(state.answers, instance.repeat)[instance.index]?.[question.name];
    const answer = stored === undefined || isBlank(stored) ? null : stored;
    if (instance === null) out[question.name] = answer;
    else {
      const target = instances.get(instance.repeat)?.[instance.index];
      if (target !== undefined) target[question.name] = answer;
    }
  }
  return out;
}

/** Choices of a select question that pass its choice_filter; all of them when the filter cannot run. */
function filteredChoices(definition: FormDefinition, question: Question, env: FormEnv): Choice[] {
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

/** Applies the `default` column to questions outside repeats that have no answer yet; new repeat instances get theirs when added. */
export function withDefaults(definition: FormDefinition, answers: Answers): Answers {
  const out: Answers = { ...answers };
  for (const { question, repeat } of flatten(definition.questions)) {
    if (repeat !== undefined || question.default === undefined || question.name in out) continue;
    out[question.name] = typedDefault(question, question.default);
  }
  return out;
}
