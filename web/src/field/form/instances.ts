// Answers of repeat groups, stored in the shape the server's submission
// validation reads: the repeat's name maps to an array with one object per
// instance, and each object maps the names of the questions inside the
// repeat to their answers. A question's slot key is its name outside
// repeats, or `repeat[index].name` (index from 0) inside one.

import type { Answer, Answers, FormDefinition, Question } from '../../shared/forms/model';

/** Location of one answer: a top-level name, or a question inside one repeat instance. */
export interface Slot {
  name: string;
  repeat?: string;
  index?: number;
}

const SLOT_KEY = /^(.+?)\[(\d+)\]\.(.+)$/;

export function slotKey(slot: Slot): string {
  return slot.repeat === undefined ? slot.name : `${slot.repeat}[${slot.index ?? 0}].${slot.name}`;
}

export function parseSlotKey(key: string): Slot {
  const match = SLOT_KEY.exec(key);
  if (match === null) return { name: key };
  return { repeat: match[1] ?? '', index: Number(match[2]), name: match[3] ?? key };
}

/** Returns the instance objects of a repeat; anything that is not an array of objects counts as none. */
export function instancesOf(answers: Answers, repeat: string): Answers[] {
  const value = answers[repeat];
  if (!Array.isArray(value)) return [];
  return value.map((item) => (typeof item === 'object' && item !== null && !Array.isArray(item) ? (item as Answers) : {}));
}

export function answerAt(answers: Answers, slot: Slot): Answer | undefined {
  if (slot.repeat === undefined) return answers[slot.name];
  return instancesOf(answers, slot.repeat)[slot.index ?? 0]?.[slot.name];
}

/** Returns a copy of `answers` with one slot set; missing instances up to the slot's index are created empty. */
export function withAnswerAt(answers: Answers, slot: Slot, value: Answer): Answers {
  if (slot.repeat === undefined) return { ...answers, [slot.name]: value };
  const index = slot.index ?? 0;
  const instances = instancesOf(answers, slot.repeat).map((item) => ({ ...item }));
  while (instances.length <= index) instances.push({});
  instances[index] = { ...instances[index], [slot.name]: value };
  return { ...answers, [slot.repeat]: instances };
}

/** Finds a repeat question by name anywhere in the form. */
function findRepeat(questions: Question[], name: string): Question | undefined {
  for (const question of questions) {
    if (question.type === 'repeat' && question.name === name) return question;
    const inner = findRepeat(question.children ?? [], name);
    if (inner !== undefined) return inner;
  }
  return undefined;
}

/** Returns a new instance of `repeat` with the `default` column of each question inside it applied. */
export function newInstance(definition: FormDefinition, repeat: string): Answers {
  const out: Answers = {};
  const visit = (questions: Question[]): void => {
    for (const question of questions) {
      if (question.type === 'repeat') continue;
      if (question.default !== undefined) out[question.name] = typedDefault(question, question.default);
      visit(question.children ?? []);
    }
  };
  visit(findRepeat(definition.questions, repeat)?.children ?? []);
  return out;
}

/** Appends one instance to a repeat. */
export function addInstance(definition: FormDefinition, answers: Answers, repeat: string): Answers {
  return { ...answers, [repeat]: [...instancesOf(answers, repeat), newInstance(definition, repeat)] };
}

/** Removes the instance at `index`; later instances move up by one. */
export function removeInstance(answers: Answers, repeat: string, index: number): Answers {
  return { ...answers, [repeat]: instancesOf(answers, repeat).filter((_, at) => at !== index) };
}

/** Converts a default or calculated text to the answer type: numbers for integer and decimal questions. */
export function typedDefault(question: Question, text: string): Answer {
  if ((question.type === 'integer' || question.type === 'decimal') && text.trim() !== '') {
    const value = Number(text);
    return Number.isFinite(value) ? value : text;
  }
  return text;
}
