// The form editor's model: a form definition as a table of rows, in the
// XLSForm style where groups and repeats open with a "begin" row and close
// with an "end" row, plus a table of choices. Every edit returns a new
// state, and toDefinition() rebuilds the nested JSON the server accepts.

import type { Choice, FormDefinition, LangText, Question, QuestionType } from '../../shared/forms/model';

export type RowType = QuestionType | 'end_group' | 'end_repeat';

/** The text columns of a row, as typed in the table; blank means "not set". */
export const TEXT_COLUMNS = [
  'name',
  'label_es',
  'label_en',
  'hint_es',
  'hint_en',
  'required',
  'relevant',
  'constraint',
  'constraint_message_es',
  'constraint_message_en',
  'calculation',
  'default',
  'choice_filter',
  'read_only',
  'appearance',
  'repeat_count',
  'list_name',
] as const;

export type TextColumn = (typeof TEXT_COLUMNS)[number];

/** The columns that hold expressions, checked for syntax and references. */
export const EXPRESSION_COLUMNS = ['required', 'relevant', 'constraint', 'calculation', 'read_only', 'repeat_count', 'choice_filter'] as const;

export type EditorRow = { id: number; type: RowType } & Record<TextColumn, string>;

export interface ChoiceRow {
  id: number;
  list_name: string;
  name: string;
  label_es: string;
  label_en: string;
  /** The list's other columns as `column=value` pairs separated by `;`, read by choice filters. */
  extra: string;
}

export interface EditorState {
  form_id: string;
  version: string;
  title_es: string;
  title_en: string;
  rows: EditorRow[];
  choices: ChoiceRow[];
  /** The next row or choice id; ids only tell rows apart while editing. */
  nextId: number;
}

export const QUESTION_TYPES: QuestionType[] = [
  'text',
  'integer',
  'decimal',
  'select_one',
  'select_multiple',
  'date',
  'time',
  'datetime',
  'geopoint',
  'image',
  'signature',
  'note',
  'calculate',
  'acknowledge',
  'barcode',
  'group',
  'repeat',
];

export const ROW_TYPES: RowType[] = [...QUESTION_TYPES, 'end_group', 'end_repeat'];

function blankRow(id: number, type: RowType): EditorRow {
  const row = { id, type } as EditorRow;
  for (const column of TEXT_COLUMNS) row[column] = '';
  return row;
}

export function newForm(): EditorState {
  return { form_id: '', version: '1', title_es: '', title_en: '', rows: [], choices: [], nextId: 1 };
}

/** Suggests the version after `version`: the next integer for a numeric version, else the same text with ".1" added. */
export function nextVersion(version: string): string {
  const trimmed = version.trim();
  if (/^\d+$/.test(trimmed)) return String(Number(trimmed) + 1);
  return trimmed === '' ? '1' : `${trimmed}.1`;
}

/** Builds the editor state of a stored definition, with the version already moved on to the next one. */
export function fromDefinition(definition: FormDefinition): EditorState {
  const state: EditorState = {
    form_id: definition.form_id,
    version: nextVersion(definition.version),
    title_es: definition.title.es ?? '',
    title_en: definition.title.en ?? '',
    rows: [],
    choices: [],
    nextId: 1,
  };
  const visit = (questions: Question[]): void => {
    for (const question of questions) {
      const row = blankRow(state.nextId++, question.type);
      row.name = question.name;
      row.label_es = question.label?.es ?? '';
      row.label_en = question.label?.en ?? '';
      row.hint_es = question.hint?.es ?? '';
      row.hint_en = question.hint?.en ?? '';
      row.constraint_message_es = question.constraint_message?.es ?? '';
      row.constraint_message_en = question.constraint_message?.en ?? '';
      for (const column of ['required', 'relevant', 'constraint', 'calculation', 'default', 'choice_filter', 'read_only', 'appearance', 'repeat_count', 'list_name'] as const) {
        row[column] = question[column] ?? '';
      }
      state.rows.push(row);
      if (question.type === 'group' || question.type === 'repeat') {
        visit(question.children ?? []);
        state.rows.push(blankRow(state.nextId++, question.type === 'group' ? 'end_group' : 'end_repeat'));
      }
    }
  };
  visit(definition.questions);
  for (const [listName, choices] of Object.entries(definition.choices)) {
    for (const choice of choices) {
      state.choices.push({
        id: state.nextId++,
        list_name: listName,
        name: choice.name,
        label_es: choice.label?.es ?? '',
        label_en: choice.label?.en ?? '',
        extra: Object.entries(choice.extra ?? {})
          .map(([column, value]) => `${column}=${value}`)
          .join('; '),
      });
    }
  }
  return state;
}

/** Inserts a row of `type` after the row at `index` (-1 inserts first); a group or repeat gets its end row too. */
export function addRow(state: EditorState, index: number, type: RowType): EditorState {
  const added = [blankRow(state.nextId, type)];
  let nextId = state.nextId + 1;
  if (type === 'group' || type === 'repeat') added.push(blankRow(nextId++, type === 'group' ? 'end_group' : 'end_repeat'));
  const rows = [...state.rows];
  rows.splice(index + 1, 0, ...added);
  return { ...state, rows, nextId };
}

export function deleteRow(state: EditorState, id: number): EditorState {
  return { ...state, rows: state.rows.filter((row) => row.id !== id) };
}

/** Swaps a row with its neighbour above (-1) or below (+1); a move past either end leaves the rows as they are. */
export function moveRow(state: EditorState, id: number, direction: -1 | 1): EditorState {
  return { ...state, rows: moveItem(state.rows, id, direction) };
}

export function updateRow(state: EditorState, id: number, patch: Partial<Omit<EditorRow, 'id'>>): EditorState {
  return { ...state, rows: state.rows.map((row) => (row.id === id ? { ...row, ...patch } : row)) };
}

/** Appends a choice to `listName`, after the list's last choice. */
export function addChoice(state: EditorState, listName: string): EditorState {
  const choice: ChoiceRow = { id: state.nextId, list_name: listName, name: '', label_es: '', label_en: '', extra: '' };
  const last = state.choices.map((c) => c.list_name).lastIndexOf(listName);
  const choices = [...state.choices];
  choices.splice(last === -1 ? choices.length : last + 1, 0, choice);
  return { ...state, choices, nextId: state.nextId + 1 };
}

export function deleteChoice(state: EditorState, id: number): EditorState {
  return { ...state, choices: state.choices.filter((choice) => choice.id !== id) };
}

export function moveChoice(state: EditorState, id: number, direction: -1 | 1): EditorState {
  return { ...state, choices: moveItem(state.choices, id, direction) };
}

export function updateChoice(state: EditorState, id: number, patch: Partial<Omit<ChoiceRow, 'id'>>): EditorState {
  return { ...state, choices: state.choices.map((choice) => (choice.id === id ? { ...choice, ...patch } : choice)) };
}

function moveItem<T extends { id: number }>(items: T[], id: number, direction: -1 | 1): T[] {
  const index = items.findIndex((item) => item.id === id);
  const target = index + direction;
  const moved = items[index];
  const other = items[target];
  if (index === -1 || moved === undefined || other === undefined) return items;
  const out = [...items];
  out[index] = other;
  out[target] = moved;
  return out;
}

function langText(es: string, en: string): LangText | undefined {
  const text: LangText = {};
  if (es.trim() !== '') text.es = es;
  if (en.trim() !== '') text.en = en;
  return text.es === undefined && text.en === undefined ? undefined : text;
}

/** Parses `column=value; column=value` into a map; pairs without "=" are skipped and reported by checkEditor. */
export function parseExtra(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of text.split(';')) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    out[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return out;
}

function rowQuestion(row: EditorRow): Question {
  const question: Question = { type: row.type as QuestionType, name: row.name.trim() };
  const label = langText(row.label_es, row.label_en);
  const hint = langText(row.hint_es, row.hint_en);
  const message = langText(row.constraint_message_es, row.constraint_message_en);
  if (label !== undefined) question.label = label;
  if (hint !== undefined) question.hint = hint;
  if (message !== undefined) question.constraint_message = message;
  for (const column of ['required', 'relevant', 'constraint', 'calculation', 'default', 'choice_filter', 'read_only', 'appearance', 'repeat_count', 'list_name'] as const) {
    const value = row[column].trim();
    if (value !== '') question[column] = value;
  }
  return question;
}

/** A row whose begin and end rows do not pair up. */
export interface StructureProblem {
  rowId: number;
  code: 'unmatched_end' | 'unclosed_group';
}

/** Rebuilds the nested definition. Unpaired end rows are skipped and unclosed groups end at the last row; both are reported. */
export function toDefinition(state: EditorState): { definition: FormDefinition; problems: StructureProblem[] } {
  const problems: StructureProblem[] = [];
  const root: Question[] = [];
  const open: Array<{ row: EditorRow; question: Question }> = [];
  for (const row of state.rows) {
    const siblings = open.at(-1)?.question.children ?? root;
    if (row.type === 'end_group' || row.type === 'end_repeat') {
      const expected = row.type === 'end_group' ? 'group' : 'repeat';
      if (open.at(-1)?.question.type === expected) open.pop();
      else problems.push({ rowId: row.id, code: 'unmatched_end' });
      continue;
    }
    const question = rowQuestion(row);
    siblings.push(question);
    if (row.type === 'group' || row.type === 'repeat') {
      question.children = [];
      open.push({ row, question });
    }
  }
  for (const { row } of open) problems.push({ rowId: row.id, code: 'unclosed_group' });

  const choices: Record<string, Choice[]> = {};
  for (const row of state.choices) {
    const list = row.list_name.trim();
    const choice: Choice = { name: row.name.trim() };
    const label = langText(row.label_es, row.label_en);
    if (label !== undefined) choice.label = label;
    const extra = parseExtra(row.extra);
    if (Object.keys(extra).length > 0) choice.extra = extra;
    (choices[list] ??= []).push(choice);
  }

  const title = langText(state.title_es, state.title_en) ?? {};
  const languages = state.title_en.trim() !== '' || state.rows.some((row) => row.label_en.trim() !== '') ? ['es', 'en'] : ['es'];
  const definition: FormDefinition = {
    form_id: state.form_id.trim(),
    version: state.version.trim(),
    title,
    default_language: 'es',
    languages,
    questions: root,
    choices,
  };
  return { definition, problems };
}

/** Wraps the definition in the `.json` file the upload endpoint reads. */
export function definitionFile(definition: FormDefinition): File {
  const name = `${definition.form_id || 'form'}-${definition.version || 'draft'}.json`;
  return new File([JSON.stringify(definition, null, 2)], name, { type: 'application/json' });
}
