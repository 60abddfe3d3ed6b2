// The typed, versioned form definition, in the JSON shape the server stores
// and serves. The Rust module ronda_forms::model serialises to exactly this
// shape; spec/forms/model.md documents every field.

/** Text in the form's languages; a missing language falls back to the other. */
export interface LangText {
  es?: string;
  en?: string;
}

export type QuestionType =
  | 'text'
  | 'integer'
  | 'decimal'
  | 'select_one'
  | 'select_multiple'
  | 'date'
  | 'time'
  | 'datetime'
  | 'geopoint'
  | 'image'
  | 'signature'
  | 'note'
  | 'calculate'
  | 'acknowledge'
  | 'barcode'
  | 'group'
  | 'repeat';

export interface Parameters {
  /** Largest side, in pixels, a photo is scaled down to before upload. */
  max_pixels?: number;
}

/**
 * One question, note, calculation, group or repeat. Expression columns hold
 * text in the expression language of ./expr. Empty columns are omitted.
 * A question with appearance "external" takes its value from the app (for
 * example the account's overdue balance), not from the agent.
 */
export interface Question {
  type: QuestionType;
  name: string;
  label?: LangText;
  hint?: LangText;
  required?: string;
  required_message?: LangText;
  relevant?: string;
  constraint?: string;
  constraint_message?: LangText;
  calculation?: string;
  default?: string;
  choice_filter?: string;
  read_only?: string;
  appearance?: string;
  repeat_count?: string;
  list_name?: string;
  parameters?: Parameters;
  children?: Question[];
}

/** One option of a choice list; extra contains the list's other columns. */
export interface Choice {
  name: string;
  label?: LangText;
  extra?: Record<string, string>;
}

export interface FormDefinition {
  form_id: string;
  version: string;
  title: LangText;
  default_language: string;
  languages: string[];
  questions: Question[];
  choices: Record<string, Choice[]>;
}

export interface FormVersion {
  /** The version's UUID. */
  id: string;
  form_id: string;
  version: string;
  /** SHA-256 hex of the canonical JSON of the definition. */
  content_hash: string;
  title: LangText;
  definition: FormDefinition;
  /** Unix milliseconds. */
  published_at: number;
}

/**
 * An answer: text, a number, the choice names of a select_multiple, null
 * when blank, or the instances of a repeat. Photos and signatures answer
 * with the attachment's SHA-256 hex; geopoints with "lat lon [alt [acc]]".
 */
export type Answer = string | number | string[] | Answers[] | null;
export type Answers = { [name: string]: Answer };

/** One broken rule, for the question at `path` ("age", or "members[0].age" inside a repeat, counting from 0). */
export interface SubmissionProblem {
  path: string;
  code: string;
  message_es: string;
  message_en: string;
}

/** A computed value that differs from the one the device submitted. */
export interface Recomputed {
  path: string;
  submitted: string;
  computed: string;
}

export interface Validated {
  /** The answers kept: relevant ones, with calculations recomputed. */
  answers: Answers;
  /** Paths of answers dropped because their question was not relevant. */
  dropped: string[];
  recomputed: Recomputed[];
}

/** What a submission is checked against besides its answers. */
export interface SubmissionContext {
  /** RFC 3339 with offset: the time today() and now() read. */
  now: string;
  /** Values of the questions with appearance "external", by name. */
  external?: Record<string, string>;
}

/** Returns the text in `language`, else in the other language, else "". */
export function langText(text: LangText | undefined, language: string): string {
  if (text === undefined) return '';
  const first = language === 'en' ? text.en : text.es;
  const second = language === 'en' ? text.es : text.en;
  return first ?? second ?? '';
}

/** Visits every question depth-first, in form order. */
export function walkQuestions(questions: Question[]): Question[] {
  const out: Question[] = [];
  const visit = (list: Question[]): void => {
    for (const question of list) {
      out.push(question);
      if (question.children) visit(question.children);
    }
  };
  visit(questions);
  return out;
}
