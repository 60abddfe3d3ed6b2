// Console form editor: a form as a table of question rows and a table of
// choices, checked on every keystroke (editor-check.ts) and previewed beside
// the tables with the shared validator. "Revisar" uploads the definition as
// a .json file with dry_run=true and shows the server's report; "Publicar"
// uploads it again to publish, once the server has accepted exactly that
// definition. With readOnly (roles the server does not let manage forms)
// every cell is read-only and nothing is sent.

import { useMemo, useState } from 'preact/hooks';
import type { ApiClient } from '../../shared/api';
import { describeError } from '../../shared/errors';
import type { FormDefinition } from '../../shared/forms/model';
import { useI18n } from '../../shared/ui/i18n-context';
import { formsApi, type FormUploadReport } from './api';
import { checkEditor } from './editor-check';
import {
  QUESTION_TYPES,
  addChoice,
  addRow,
  definitionFile,
  deleteChoice,
  deleteRow,
  fromDefinition,
  moveChoice,
  moveRow,
  newForm,
  toDefinition,
  updateChoice,
  updateRow,
  type EditorState,
  type RowType,
} from './editor-model';
import { ChoiceTable, QuestionTable, useProblemText } from './EditorTables';
import { PreviewPanel } from './PreviewPanel';
import { UploadReport } from './UploadReport';
import './forms.css';

interface Props {
  api: ApiClient;
  /** The version to start from; null starts a new form. */
  definition: FormDefinition | null;
  readOnly: boolean;
  onClose: () => void;
  onPublished: () => void;
}

export function FormEditor(props: Props) {
  const { t } = useI18n();
  const problemText = useProblemText();
  const [state, setState] = useState<EditorState>(() => (props.definition === null ? newForm() : fromDefinition(props.definition)));
  const [newType, setNewType] = useState<RowType>('text');
  const [newList, setNewList] = useState('');
  const [report, setReport] = useState<{ json: string; report: FormUploadReport } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const definition = useMemo(() => toDefinition(state).definition, [state]);
  const json = useMemo(() => JSON.stringify(definition), [definition]);
  const problems = useMemo(() => checkEditor(state), [state]);
  const formProblems = problems.filter((problem) => problem.rowId === null);
  const checkedThis = report !== null && report.json === json;
  const edit = (change: (previous: EditorState) => EditorState) => setState((previous) => change(previous));

  const send = async (dryRun: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const result = await formsApi.upload(props.api, definitionFile(definition), dryRun);
      setReport({ json, report: result });
      if (!dryRun && (result.status === 'published' || result.status === 'unchanged')) props.onPublished();
    } catch (failure) {
      setError(describeError(failure, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="form-editor" aria-labelledby="form-editor-heading">
      <h2 id="form-editor-heading">{props.readOnly ? t('forms.editor.viewHeading') : t('forms.editor.heading')}</h2>
      <div class="form-editor__form-fields">
        {(['form_id', 'version', 'title_es', 'title_en'] as const).map((field) => (
          <label key={field}>
            {t(`forms.editor.field.${field}`)}
            <input
              value={state[field]}
              readOnly={props.readOnly}
              aria-invalid={formProblems.some((problem) => problem.column === field)}
              onInput={(event) => {
                const value = (event.currentTarget as HTMLInputElement).value;
                edit((previous) => ({ ...previous, [field]: value }));
              }}
            />
          </label>
        ))}
      </div>
      {formProblems.length > 0 && (
        <ul class="form-editor__form-problems">
          {formProblems.map((problem, index) => (
            <li key={index}>{problemText(problem)}</li>
          ))}
        </ul>
      )}

      <div class="form-editor__layout">
        <div class="form-editor__tables">
          <QuestionTable
            rows={state.rows}
            problems={problems}
            readOnly={props.readOnly}
            actions={{
              onChange: (id, patch) => edit((previous) => updateRow(previous, id, patch)),
              onMove: (id, direction) => edit((previous) => moveRow(previous, id, direction)),
              onDelete: (id) => edit((previous) => deleteRow(previous, id)),
            }}
            onAddBelow={(index) => edit((previous) => addRow(previous, index, newType))}
          />
          {!props.readOnly && (
            <p class="form-editor__add">
              <label>
                {t('forms.editor.newRowType')}
                <select value={newType} onChange={(event) => setNewType((event.currentTarget as HTMLSelectElement).value as RowType)}>
                  {QUESTION_TYPES.map((type) => (
                    <option key={type} value={type}>
                      {type}
                    </option>
                  ))}
                </select>
              </label>
              <button type="button" onClick={() => edit((previous) => addRow(previous, previous.rows.length - 1, newType))}>
                {t('forms.editor.addRow')}
              </button>
            </p>
          )}

          <ChoiceTable
            choices={state.choices}
            problems={problems}
            readOnly={props.readOnly}
            actions={{
              onChange: (id, patch) => edit((previous) => updateChoice(previous, id, patch)),
              onMove: (id, direction) => edit((previous) => moveChoice(previous, id, direction)),
              onDelete: (id) => edit((previous) => deleteChoice(previous, id)),
            }}
          />
          {!props.readOnly && (
            <p class="form-editor__add">
              <label>
                {t('forms.editor.listName')}
                <input value={newList} onInput={(event) => setNewList((event.currentTarget as HTMLInputElement).value)} />
              </label>
              <button type="button" onClick={() => edit((previous) => addChoice(previous, newList.trim()))}>
                {t('forms.editor.addChoice')}
              </button>
            </p>
          )}
        </div>
        <aside class="form-editor__preview">
          <p role="status">{problems.length === 0 ? t('forms.editor.noProblems') : t('forms.editor.problemCount', { count: problems.length })}</p>
          <PreviewPanel definition={definition} />
        </aside>
      </div>

      <div class="form-editor__buttons">
        {!props.readOnly && (
          <>
            <button type="button" disabled={busy} onClick={() => void send(true)}>
              {t('forms.check')}
            </button>
            <button type="button" disabled={busy || !checkedThis || report?.report.status !== 'valid'} onClick={() => void send(false)}>
              {t('forms.editor.publish')}
            </button>
          </>
        )}
        <button type="button" onClick={props.onClose}>
          {t('forms.editor.close')}
        </button>
      </div>
      {!props.readOnly && report !== null && !checkedThis && <p class="hint">{t('forms.editor.changedSinceCheck')}</p>}
      {error !== null && <p role="alert">{error}</p>}
      {report !== null && <UploadReport report={report.report} />}
    </section>
  );
}
