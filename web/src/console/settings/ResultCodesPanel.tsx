// The result-code catalogue in the settings: every console role reads it, and
// admins change a code's class, labels, requirement and whether agents may use
// it, or add a code at the end. Codes are deactivated, never deleted.

import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../../shared/api';
import { describeError } from '../../shared/errors';
import { useI18n } from '../../shared/ui/i18n-context';
import { RESULT_CLASSES, resultCodesApi, type ResultClass, type ResultCode } from './api';

const EMPTY: ResultCode = { code: '', class: 'reach', label_es: '', label_en: '', requires_es: '', active: true };

type Message = { kind: 'ok' | 'error'; text: string } | null;

export function ResultCodesPanel(props: { api: ApiClient; canEdit: boolean }) {
  const { api, canEdit } = props;
  const { t } = useI18n();
  const [codes, setCodes] = useState<ResultCode[] | null>(null);
  const [draft, setDraft] = useState<ResultCode>(EMPTY);
  const [message, setMessage] = useState<Message>(null);

  const load = () =>
    resultCodesApi.list(api).then(setCodes, (failure: unknown) => {
      setMessage({ kind: 'error', text: describeError(failure, t) });
    });

  useEffect(() => {
    void load();
  }, [api]);

  const edit = (index: number, change: Partial<ResultCode>) =>
    setCodes((current) => current?.map((code, at) => (at === index ? { ...code, ...change } : code)) ?? null);

  const save = async (code: ResultCode, added: boolean) => {
    setMessage(null);
    try {
      await resultCodesApi.save(api, code);
      setMessage({ kind: 'ok', text: t(added ? 'codes.added' : 'codes.saved', { code: code.code.trim() }) });
      if (added) setDraft(EMPTY);
      await load();
    } catch (failure: unknown) {
      setMessage({ kind: 'error', text: describeError(failure, t) });
    }
  };

  const classSelect = (value: ResultClass, onChange: (value: ResultClass) => void, label: string) => (
    <select aria-label={label} value={value} onChange={(event) => onChange(event.currentTarget.value as ResultClass)}>
      {RESULT_CLASSES.map((option) => (
        <option key={option} value={option}>
          {t(`codes.class.${option}`)}
        </option>
      ))}
    </select>
  );

  return (
    <section class="codes-panel" aria-labelledby="codes-title">
      <h2 id="codes-title">{t('codes.title')}</h2>
      <p>{t(canEdit ? 'codes.intro' : 'codes.readOnly')}</p>
      {message !== null && (
        <p role={message.kind === 'ok' ? 'status' : 'alert'} class={message.kind === 'ok' ? 'status-message' : 'form-error'}>
          {message.text}
        </p>
      )}
      {codes === null ? null : (
        <div class="table-scroll">
          <table class="data-table codes-table">
            <thead>
              <tr>
                <th scope="col">{t('codes.code')}</th>
                <th scope="col">{t('codes.class')}</th>
                <th scope="col">{t('codes.labelEs')}</th>
                <th scope="col">{t('codes.labelEn')}</th>
                <th scope="col">{t('codes.requires')}</th>
                <th scope="col">{t('codes.active')}</th>
                {canEdit ? <th scope="col">{t('codes.actions')}</th> : null}
              </tr>
            </thead>
            <tbody>
              {codes.map((code, index) =>
                canEdit ? (
                  <tr key={code.code}>
                    <th scope="row">{code.code}</th>
                    <td>{classSelect(code.class, (value) => edit(index, { class: value }), t('codes.classOf', { code: code.code }))}</td>
                    <td>
                      <input aria-label={t('codes.labelEsOf', { code: code.code })} value={code.label_es} onInput={(event) => edit(index, { label_es: event.currentTarget.value })} />
                    </td>
                    <td>
                      <input aria-label={t('codes.labelEnOf', { code: code.code })} value={code.label_en} onInput={(event) => edit(index, { label_en: event.currentTarget.value })} />
                    </td>
                    <td>
                      <input aria-label={t('codes.requiresOf', { code: code.code })} value={code.requires_es} onInput={(event) => edit(index, { requires_es: event.currentTarget.value })} />
                    </td>
                    <td>
                      <input type="checkbox" aria-label={t('codes.activeOf', { code: code.code })} checked={code.active} onChange={(event) => edit(index, { active: event.currentTarget.checked })} />
                    </td>
                    <td>
                      <button type="button" class="button button--small" onClick={() => void save(code, false)}>
                        {t('codes.save')}
                      </button>
                    </td>
                  </tr>
                ) : (
                  <tr key={code.code}>
                    <th scope="row">{code.code}</th>
                    <td>{t(`codes.class.${code.class}`)}</td>
                    <td>{code.label_es}</td>
                    <td>{code.label_en}</td>
                    <td>{code.requires_es}</td>
                    <td>{code.active ? t('codes.yes') : t('codes.no')}</td>
                  </tr>
                ),
              )}
            </tbody>
          </table>
        </div>
      )}
      {canEdit && (
        <form
          class="codes-new"
          onSubmit={(event) => {
            event.preventDefault();
            void save(draft, true);
          }}
        >
          <h3>{t('codes.addTitle')}</h3>
          <label>
            {t('codes.code')}
            <input value={draft.code} onInput={(event) => setDraft({ ...draft, code: event.currentTarget.value.toUpperCase() })} />
          </label>
          <label>
            {t('codes.class')}
            {classSelect(draft.class, (value) => setDraft({ ...draft, class: value }), t('codes.class'))}
          </label>
          <label>
            {t('codes.labelEs')}
            <input value={draft.label_es} onInput={(event) => setDraft({ ...draft, label_es: event.currentTarget.value })} />
          </label>
          <label>
            {t('codes.labelEn')}
            <input value={draft.label_en} onInput={(event) => setDraft({ ...draft, label_en: event.currentTarget.value })} />
          </label>
          <label>
            {t('codes.requires')}
            <input value={draft.requires_es} onInput={(event) => setDraft({ ...draft, requires_es: event.currentTarget.value })} />
          </label>
          <button type="submit" class="button">
            {t('codes.add')}
          </button>
        </form>
      )}
    </section>
  );
}
