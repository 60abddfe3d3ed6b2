// Console forms page: the organization's forms and versions, XLSForm upload
// (checked first, then published), .xlsx download, shipped templates, and a
// table of a version's questions with a live check of sample answers by the
// same validator the field app runs. New forms and new versions are built
// in FormEditor.

import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../../shared/api';
import { describeError } from '../../shared/errors';
import { langText, walkQuestions, type FormDefinition, type FormVersion } from '../../shared/forms/model';
import type { Role } from '../../shared/types';
import { useI18n } from '../../shared/ui/i18n-context';
import { formsApi, type FormSummary, type FormUploadReport, type FormVersionMeta, type TemplateInfo } from './api';
import { FormEditor } from './FormEditor';
import { PreviewPanel } from './PreviewPanel';
import { UploadReport } from './UploadReport';

export function FormsPage(props: { api: ApiClient; role: Role }) {
  const { api, role } = props;
  const { t, language } = useI18n();
  const canManage = role === 'admin' || role === 'supervisor';
  const [forms, setForms] = useState<FormSummary[]>([]);
  const [templates, setTemplates] = useState<TemplateInfo[]>([]);
  const [versions, setVersions] = useState<FormVersionMeta[]>([]);
  const [selected, setSelected] = useState<FormVersion | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<FormUploadReport | null>(null);
  /** The definition open in the editor; null there means a new form, and no editor is open while the whole value is null. */
  const [editing, setEditing] = useState<{ definition: FormDefinition | null } | null>(null);

  const fail = (error: unknown) => setMessage(describeError(error, t));
  const reload = () => {
    formsApi.list(api).then((body) => setForms(body.forms), fail);
  };

  useEffect(() => {
    reload();
    formsApi.templates(api).then((body) => setTemplates(body.templates), fail);
  }, [api]);

  const open = async (form: FormSummary) => {
    try {
      const list = await formsApi.versions(api, form.form_id);
      setVersions(list.versions);
      if (form.latest_version_id !== null) setSelected(await formsApi.version(api, form.latest_version_id));
    } catch (error) {
      fail(error);
    }
  };

  const upload = async (dryRun: boolean) => {
    if (file === null) return;
    try {
      const result = await formsApi.upload(api, file, dryRun);
      setReport(result);
      if (!dryRun) reload();
    } catch (error) {
      fail(error);
    }
  };

  const install = async (name: string) => {
    try {
      await formsApi.install(api, name);
      setMessage(t('forms.installed'));
      reload();
    } catch (error) {
      fail(error);
    }
  };

  if (editing !== null) {
    return (
      <FormEditor
        api={api}
        definition={editing.definition}
        readOnly={!canManage}
        onClose={() => setEditing(null)}
        onPublished={reload}
      />
    );
  }

  return (
    <section class="forms-page">
      {message !== null && <p role="status">{message}</p>}
      {canManage && (
        <button type="button" onClick={() => setEditing({ definition: null })}>
          {t('forms.editor.new')}
        </button>
      )}
      <table>
        <caption>{t('forms.listCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('forms.title')}</th>
            <th scope="col">{t('forms.formId')}</th>
            <th scope="col">{t('forms.latest')}</th>
            <th scope="col">{t('forms.versions')}</th>
            <th scope="col">{t('forms.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {forms.map((form) => (
            <tr key={form.form_id}>
              <td>{langText(form.title, language)}</td>
              <td>{form.form_id}</td>
              <td>{form.latest_version ?? '—'}</td>
              <td>{form.version_count}</td>
              <td>
                <button type="button" onClick={() => void open(form)}>
                  {t('forms.open')}
                </button>
                {form.latest_version_id !== null && (
                  <a href={formsApi.xlsxUrl(form.latest_version_id)} download>
                    {t('forms.downloadXlsx')}
                  </a>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {forms.length === 0 && <p>{t('forms.empty')}</p>}

      {canManage && (
        <div class="forms-page__manage">
          <h2>{t('forms.uploadHeading')}</h2>
          <label>
            {t('forms.file')}
            <input
              type="file"
              accept=".xlsx,.csv,.md,.json"
              onChange={(event) => {
                setFile((event.currentTarget as HTMLInputElement).files?.[0] ?? null);
                setReport(null);
              }}
            />
          </label>
          <button type="button" disabled={file === null} onClick={() => void upload(true)}>
            {t('forms.check')}
          </button>
          <button type="button" disabled={report?.status !== 'valid'} onClick={() => void upload(false)}>
            {t('forms.publish')}
          </button>
          {report !== null && <UploadReport report={report} />}

          <h2>{t('forms.templatesHeading')}</h2>
          <ul>
            {templates.map((template) => (
              <li key={template.name}>
                {langText(template.title, language)} ({template.version}){' '}
                <button type="button" onClick={() => void install(template.name)}>
                  {t('forms.install')}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}

      {selected !== null && (
        <div class="forms-page__version">
          <h2>
            {langText(selected.title, language)} · {t('forms.version')} {selected.version}
          </h2>
          <p>
            {t('forms.versions')}:{' '}
            {versions.map((version) => (
              <button key={version.id} type="button" onClick={() => void formsApi.version(api, version.id).then(setSelected, fail)}>
                {version.version}
              </button>
            ))}
          </p>
          <button type="button" onClick={() => setEditing({ definition: selected.definition })}>
            {canManage ? t('forms.editor.edit') : t('forms.editor.view')}
          </button>
          <QuestionTable version={selected} />
          <PreviewPanel definition={selected.definition} />
        </div>
      )}
    </section>
  );
}

function QuestionTable(props: { version: FormVersion }) {
  const { t, language } = useI18n();
  return (
    <table class="forms-page__questions">
      <caption>{t('forms.questionsCaption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('forms.type')}</th>
          <th scope="col">{t('forms.name')}</th>
          <th scope="col">{t('forms.label')}</th>
          <th scope="col">relevant</th>
          <th scope="col">constraint</th>
          <th scope="col">calculation</th>
        </tr>
      </thead>
      <tbody>
        {walkQuestions(props.version.definition.questions).map((question) => (
          <tr key={question.name}>
            <td>{question.type === 'select_one' || question.type === 'select_multiple' ? `${question.type} ${question.list_name ?? ''}` : question.type}</td>
            <td>{question.name}</td>
            <td>{langText(question.label, language)}</td>
            <td><code>{question.relevant ?? ''}</code></td>
            <td><code>{question.constraint ?? ''}</code></td>
            <td><code>{question.calculation ?? ''}</code></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
