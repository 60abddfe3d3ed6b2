// The editor's two tables: question rows (begin and end rows for groups and
// repeats, indented by depth) and choices. Each row lists its problems in
// its last cell, and the input at fault is marked aria-invalid. Alt+ArrowUp
// and Alt+ArrowDown move the focused row.

import type { MessageKey } from '../../shared/i18n';
import { useI18n } from '../../shared/ui/i18n-context';
import type { EditorProblem } from './editor-check';
import { ROW_TYPES, TEXT_COLUMNS, type ChoiceRow, type EditorRow, type TextColumn } from './editor-model';

export interface RowActions<T> {
  onChange: (id: number, patch: Partial<Omit<T, 'id'>>) => void;
  onMove: (id: number, direction: -1 | 1) => void;
  onDelete: (id: number) => void;
}

/** Column headings that are not XLSForm column names. */
const HEADINGS: Partial<Record<TextColumn | 'extra', MessageKey>> = {
  name: 'forms.name',
  label_es: 'forms.editor.labelEs',
  label_en: 'forms.editor.labelEn',
  hint_es: 'forms.editor.hintEs',
  hint_en: 'forms.editor.hintEn',
  constraint_message_es: 'forms.editor.constraintMessageEs',
  constraint_message_en: 'forms.editor.constraintMessageEn',
  list_name: 'forms.editor.listName',
  extra: 'forms.editor.extra',
};

export function useProblemText(): (problem: EditorProblem) => string {
  const { t } = useI18n();
  return (problem) => {
    const where = problem.column === '' ? '' : `${problem.column}: `;
    return where + t(`forms.editor.problem.${problem.code}`, { detail: problem.detail });
  };
}

/** Returns the nesting depth of each row: rows inside a group or repeat are one deeper. */
function depths(rows: EditorRow[]): number[] {
  let depth = 0;
  return rows.map((row) => {
    if (row.type === 'end_group' || row.type === 'end_repeat') depth = Math.max(0, depth - 1);
    const own = depth;
    if (row.type === 'group' || row.type === 'repeat') depth++;
    return own;
  });
}

function moveKeys<T>(id: number, actions: RowActions<T>) {
  return (event: KeyboardEvent) => {
    if (!event.altKey || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) return;
    event.preventDefault();
    const target = event.target as HTMLElement | null;
    actions.onMove(id, event.key === 'ArrowUp' ? -1 : 1);
    // The row is drawn again at its new place; keep the focus on the same input.
    requestAnimationFrame(() => target?.focus());
  };
}

function RowButtons<T>(props: { id: number; label: string; actions: RowActions<T>; onAddBelow?: () => void }) {
  const { t } = useI18n();
  const { id, label, actions } = props;
  return (
    <td class="form-editor__actions">
      <button type="button" aria-label={t('forms.editor.moveUp', { row: label })} onClick={() => actions.onMove(id, -1)}>
        ↑
      </button>
      <button type="button" aria-label={t('forms.editor.moveDown', { row: label })} onClick={() => actions.onMove(id, 1)}>
        ↓
      </button>
      <button type="button" aria-label={t('forms.editor.delete', { row: label })} onClick={() => actions.onDelete(id)}>
        ✕
      </button>
      {props.onAddBelow !== undefined && (
        <button type="button" aria-label={t('forms.editor.addBelow', { row: label })} onClick={props.onAddBelow}>
          +
        </button>
      )}
    </td>
  );
}

function ProblemCell(props: { id: string; problems: EditorProblem[] }) {
  const text = useProblemText();
  return (
    <td id={props.id} class="form-editor__problems">
      {props.problems.length > 0 && (
        <ul>
          {props.problems.map((problem, index) => (
            <li key={index}>{text(problem)}</li>
          ))}
        </ul>
      )}
    </td>
  );
}

export function QuestionTable(props: {
  rows: EditorRow[];
  problems: EditorProblem[];
  readOnly: boolean;
  actions: RowActions<EditorRow>;
  onAddBelow: (index: number) => void;
}) {
  const { t } = useI18n();
  const rowDepths = depths(props.rows);
  const heading = (column: TextColumn): string => {
    const key = HEADINGS[column];
    return key === undefined ? column : t(key);
  };
  return (
    <table class="form-editor__table">
      <caption>{t('forms.questionsCaption')}</caption>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">{t('forms.type')}</th>
          {TEXT_COLUMNS.map((column) => (
            <th key={column} scope="col">
              {heading(column)}
            </th>
          ))}
          <th scope="col">{t('forms.editor.problems')}</th>
          {!props.readOnly && <th scope="col">{t('forms.actions')}</th>}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row, index) => {
          const own = props.problems.filter((problem) => problem.rowId === row.id);
          const problemsId = `form-editor-row-${row.id}-problems`;
          const isEnd = row.type === 'end_group' || row.type === 'end_repeat';
          const label = `${index + 1} ${row.name || row.type}`;
          return (
            <tr key={row.id} class={own.length > 0 ? 'form-editor__row--invalid' : undefined} onKeyDown={props.readOnly ? undefined : moveKeys(row.id, props.actions)}>
              <th scope="row">{index + 1}</th>
              <td style={{ paddingInlineStart: `${rowDepths[index] ?? 0}em` }}>
                <select
                  aria-label={t('forms.editor.cell', { column: t('forms.type'), row: index + 1 })}
                  value={row.type}
                  disabled={props.readOnly}
                  aria-invalid={own.some((p) => p.column === 'type')}
                  aria-describedby={problemsId}
                  onChange={(event) => props.actions.onChange(row.id, { type: (event.currentTarget as HTMLSelectElement).value as EditorRow['type'] })}
                >
                  {ROW_TYPES.map((type) => (
                    <option key={type} value={type}>
                      {type}
                    </option>
                  ))}
                </select>
              </td>
              {TEXT_COLUMNS.map((column) =>
                isEnd ? (
                  <td key={column} />
                ) : (
                  <td key={column}>
                    <input
                      aria-label={t('forms.editor.cell', { column: heading(column), row: index + 1 })}
                      value={row[column]}
                      readOnly={props.readOnly}
                      aria-invalid={own.some((p) => p.column === column)}
                      aria-describedby={problemsId}
                      onInput={(event) => props.actions.onChange(row.id, { [column]: (event.currentTarget as HTMLInputElement).value })}
                    />
                  </td>
                ),
              )}
              <ProblemCell id={problemsId} problems={own} />
              {!props.readOnly && <RowButtons id={row.id} label={label} actions={props.actions} onAddBelow={() => props.onAddBelow(index)} />}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

const CHOICE_COLUMNS = ['list_name', 'name', 'label_es', 'label_en', 'extra'] as const;

export function ChoiceTable(props: { choices: ChoiceRow[]; problems: EditorProblem[]; readOnly: boolean; actions: RowActions<ChoiceRow> }) {
  const { t } = useI18n();
  return (
    <table class="form-editor__table">
      <caption>{t('forms.editor.choicesCaption')}</caption>
      <thead>
        <tr>
          {CHOICE_COLUMNS.map((column) => (
            <th key={column} scope="col">
              {t(HEADINGS[column] ?? 'forms.name')}
            </th>
          ))}
          <th scope="col">{t('forms.editor.problems')}</th>
          {!props.readOnly && <th scope="col">{t('forms.actions')}</th>}
        </tr>
      </thead>
      <tbody>
        {props.choices.map((choice, index) => {
          const own = props.problems.filter((problem) => problem.rowId === choice.id);
          const problemsId = `form-editor-choice-${choice.id}-problems`;
          return (
            <tr key={choice.id} onKeyDown={props.readOnly ? undefined : moveKeys(choice.id, props.actions)}>
              {CHOICE_COLUMNS.map((column) => (
                <td key={column}>
                  <input
                    aria-label={t('forms.editor.choiceCell', { column: t(HEADINGS[column] ?? 'forms.name'), row: index + 1 })}
                    value={choice[column]}
                    readOnly={props.readOnly}
                    aria-invalid={own.some((p) => p.column === column)}
                    aria-describedby={problemsId}
                    onInput={(event) => props.actions.onChange(choice.id, { [column]: (event.currentTarget as HTMLInputElement).value })}
                  />
                </td>
              ))}
              <ProblemCell id={problemsId} problems={own} />
              {!props.readOnly && <RowButtons id={choice.id} label={`${choice.list_name} ${choice.name}`} actions={props.actions} />}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
