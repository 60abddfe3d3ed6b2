// Live checks of the editor's rows, shown next to the row they concern:
// names, expression syntax (with the column of the error), unknown
// ${name} references, missing choice lists, unpaired begin and end rows, and
// repeats inside repeats, which the server's model check rejects.

import { parse, references } from '../../shared/forms/expr';
import { CHOICE_PREFIX, parseChoiceFilter } from '../../shared/forms/filter';
import { EXPRESSION_COLUMNS, toDefinition, type EditorState } from './editor-model';

export type EditorProblemCode =
  | 'missing_form_id'
  | 'invalid_name'
  | 'missing_name'
  | 'duplicate_name'
  | 'syntax_error'
  | 'unknown_reference'
  | 'missing_list_name'
  | 'unknown_list'
  | 'unmatched_end'
  | 'unclosed_group'
  | 'nested_repeat'
  | 'duplicate_choice'
  | 'invalid_extra';

export interface EditorProblem {
  /** The question row or choice row, by editor id; null for the form's own fields. */
  rowId: number | null;
  /** The column at fault, such as "relevant"; empty for the row as a whole. */
  column: string;
  code: EditorProblemCode;
  /** Values the message shows: the name, the reference or the parser's message. */
  detail: string;
}

/** Letters or "_" first, then letters, digits, "_", "-" or ".", as the server's model check requires. */
export const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** Returns every problem of the editor's rows and choices, in row order. */
export function checkEditor(state: EditorState): EditorProblem[] {
  const problems: EditorProblem[] = [];
  if (state.form_id.trim() === '') problems.push({ rowId: null, column: 'form_id', code: 'missing_form_id', detail: '' });
  else if (!NAME_PATTERN.test(state.form_id.trim())) problems.push({ rowId: null, column: 'form_id', code: 'invalid_name', detail: state.form_id });

  for (const problem of toDefinition(state).problems) {
    problems.push({ rowId: problem.rowId, column: 'type', code: problem.code, detail: '' });
  }

  const names = new Set<string>();
  const lists = new Set(state.choices.map((choice) => choice.list_name.trim()));
  let repeatDepth = 0;
  for (const row of state.rows) {
    if (row.type === 'end_repeat') repeatDepth = Math.max(0, repeatDepth - 1);
    if (row.type === 'end_group' || row.type === 'end_repeat') continue;
    if (row.type === 'repeat') {
      if (repeatDepth > 0) problems.push({ rowId: row.id, column: 'type', code: 'nested_repeat', detail: row.name });
      repeatDepth++;
    }
    const name = row.name.trim();
    if (name === '') problems.push({ rowId: row.id, column: 'name', code: 'missing_name', detail: '' });
    else if (!NAME_PATTERN.test(name)) problems.push({ rowId: row.id, column: 'name', code: 'invalid_name', detail: name });
    else if (names.has(name)) problems.push({ rowId: row.id, column: 'name', code: 'duplicate_name', detail: name });
    names.add(name);
    if (row.type === 'select_one' || row.type === 'select_multiple') {
      const list = row.list_name.trim();
      if (list === '') problems.push({ rowId: row.id, column: 'list_name', code: 'missing_list_name', detail: '' });
      else if (!lists.has(list)) problems.push({ rowId: row.id, column: 'list_name', code: 'unknown_list', detail: list });
    }
  }

  // References are checked after every name is known, because an expression may read a later question.
  for (const row of state.rows) {
    for (const column of EXPRESSION_COLUMNS) {
      const text = row[column].trim();
      if (text === '' || isConstant(text)) continue;
      problems.push(...expressionProblems(row.id, column, text, names));
    }
  }

  const choiceNames = new Set<string>();
  for (const choice of state.choices) {
    const list = choice.list_name.trim();
    const name = choice.name.trim();
    if (list === '' || !NAME_PATTERN.test(list)) problems.push({ rowId: choice.id, column: 'list_name', code: list === '' ? 'missing_list_name' : 'invalid_name', detail: list });
    if (name === '') problems.push({ rowId: choice.id, column: 'name', code: 'missing_name', detail: '' });
    else if (choiceNames.has(`${list}\u0000${name}`)) problems.push({ rowId: choice.id, column: 'name', code: 'duplicate_choice', detail: name });
    choiceNames.add(`${list}\u0000${name}`);
    const badPair = choice.extra
      .split(';')
      .map((pair) => pair.trim())
      .find((pair) => pair !== '' && pair.indexOf('=') <= 0);
    if (badPair !== undefined) problems.push({ rowId: choice.id, column: 'extra', code: 'invalid_extra', detail: badPair });
  }
  return problems;
}

/** Returns true for the XLSForm constants that the field app and the server read without parsing. */
function isConstant(text: string): boolean {
  return ['yes', 'no', 'true', 'false', 'true()', 'false()'].includes(text);
}

function expressionProblems(rowId: number, column: string, text: string, names: Set<string>): EditorProblem[] {
  try {
    const expr = column === 'choice_filter' ? parseChoiceFilter(text).expr : parse(text);
    return references(expr)
      .filter((name) => !name.startsWith(CHOICE_PREFIX) && !names.has(name))
      .map((name) => ({ rowId, column, code: 'unknown_reference' as const, detail: name }));
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return [{ rowId, column, code: 'syntax_error', detail }];
  }
}
