// Notification rules: which events email whom, filtered by lender, portfolio,
// agent and result code. Supervisors and admins create and delete them.

import { useState } from 'preact/hooks';
import type { ApiClient } from '../../shared/api';
import { describeError } from '../../shared/errors';
import { isMessageKey, type MessageKey } from '../../shared/i18n';
import type { Lender, Portfolio, User } from '../../shared/types';
import { useI18n } from '../../shared/ui/i18n-context';
import { EVENT_KINDS, notifyApi, type NotificationRule, type RuleRequest } from './api';
import { LoadFailed } from './LoadFailed';
import { useLoad } from './useLoad';

interface Catalog {
  lenders: Lender[];
  portfolios: Portfolio[];
  agents: User[];
}

/** Reads the lists for the filters. A list that fails to load stays empty, so the rules still show. */
async function loadCatalog(api: ApiClient): Promise<Catalog> {
  const [lenders, portfolios, users] = await Promise.allSettled([
    api.listLenders(),
    api.listPortfolios(),
    api.listUsers(),
  ]);
  return {
    lenders: lenders.status === 'fulfilled' ? lenders.value : [],
    portfolios: portfolios.status === 'fulfilled' ? portfolios.value : [],
    agents: users.status === 'fulfilled' ? users.value.filter((user) => user.role === 'agent') : [],
  };
}

/** Returns the user's name for an event kind, or the kind itself when it is unknown. */
export function kindLabel(t: (key: MessageKey) => string, kind: string): string {
  const key = `notify.kind.${kind}`;
  return isMessageKey(key) ? t(key) : kind;
}

/** Splits a list typed with commas, semicolons or line breaks. */
export function splitList(text: string): string[] {
  return text
    .split(/[,;\n]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

export function RulesPanel(props: { api: ApiClient; canManage: boolean }) {
  const { t } = useI18n();
  const rules = useLoad(() => notifyApi.rules(props.api), [props.api]);
  const catalog = useLoad(() => loadCatalog(props.api), [props.api]);
  const [error, setError] = useState<string | null>(null);
  const names = catalog.state.kind === 'loaded' ? catalog.state.value : { lenders: [], portfolios: [], agents: [] };

  const nameOf = (list: { id: string | number; name: string }[], id: string | null) =>
    id === null ? t('notify.rules.any') : (list.find((item) => String(item.id) === id)?.name ?? id);

  const remove = (rule: NotificationRule) => {
    setError(null);
    notifyApi
      .deleteRule(props.api, rule.id)
      .then(rules.reload, (failure: unknown) => setError(describeError(failure, t)));
  };

  return (
    <section aria-labelledby="notify-rules-title">
      <h3 id="notify-rules-title">{t('notify.rules.title')}</h3>
      {error === null ? null : (
        <p role="alert" class="form-error">
          {error}
        </p>
      )}
      {rules.state.kind === 'loading' ? (
        <p role="status">{t('common.loading')}</p>
      ) : rules.state.kind === 'failed' ? (
        <LoadFailed message={rules.state.message} onRetry={rules.reload} />
      ) : rules.state.value.length === 0 ? (
        <p class="empty-state__body">{t(props.canManage ? 'notify.rules.empty' : 'notify.rules.emptyReadOnly')}</p>
      ) : (
        <div class="table-scroll"><table class="data-table">
          <caption class="visually-hidden">{t('notify.rules.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('notify.rules.name')}</th>
              <th scope="col">{t('notify.rules.kinds')}</th>
              <th scope="col">{t('notify.rules.filters')}</th>
              <th scope="col">{t('notify.rules.recipients')}</th>
              <th scope="col">{t('notify.rules.language')}</th>
              {props.canManage ? <th scope="col">{t('notify.actions')}</th> : null}
            </tr>
          </thead>
          <tbody>
            {rules.state.value.map((rule) => (
              <tr key={rule.id}>
                <td>{rule.name}</td>
                <td>{rule.event_kinds.map((kind) => kindLabel(t, kind)).join(', ')}</td>
                <td>
                  {t('notify.rules.lender')}: {nameOf(names.lenders, rule.lender_id)};{' '}
                  {t('notify.rules.portfolio')}: {nameOf(names.portfolios, rule.portfolio_id)};{' '}
                  {t('notify.rules.agent')}: {nameOf(names.agents, rule.agent_id)};{' '}
                  {t('notify.rules.resultCodes')}:{' '}
                  {rule.result_codes.length === 0 ? t('notify.rules.any') : rule.result_codes.join(', ')}
                </td>
                <td>{rule.recipients.join(', ')}</td>
                <td>{t(rule.language === 'en' ? 'language.en' : 'language.es')}</td>
                {props.canManage ? (
                  <td>
                    <button type="button" class="button button--small" onClick={() => remove(rule)}>
                      {t('notify.delete')}
                    </button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table></div>
      )}
      {props.canManage ? <RuleForm api={props.api} catalog={names} onCreated={rules.reload} /> : null}
    </section>
  );
}

const EMPTY_FORM = {
  name: '',
  kinds: ['visit.completed'] as string[],
  lender: '',
  portfolio: '',
  agent: '',
  codes: '',
  recipients: '',
  language: 'es' as 'es' | 'en',
};

function RuleForm(props: { api: ApiClient; catalog: Catalog; onCreated: () => void }) {
  const { t } = useI18n();
  const [form, setForm] = useState(EMPTY_FORM);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const set = (patch: Partial<typeof EMPTY_FORM>) => setForm((previous) => ({ ...previous, ...patch }));
  const portfolios = props.catalog.portfolios.filter(
    (portfolio) => form.lender === '' || String(portfolio.lender_id) === form.lender,
  );

  const toggleKind = (kind: string, on: boolean) =>
    set({ kinds: on ? [...form.kinds, kind] : form.kinds.filter((item) => item !== kind) });

  const submit = (event: Event) => {
    event.preventDefault();
    if (form.name.trim() === '' || form.kinds.length === 0 || splitList(form.recipients).length === 0) {
      setError(t('notify.rules.missing'));
      return;
    }
    const request: RuleRequest = {
      name: form.name.trim(),
      event_kinds: form.kinds,
      lender_id: form.lender || null,
      portfolio_id: form.portfolio || null,
      agent_id: form.agent || null,
      result_codes: splitList(form.codes),
      recipients: splitList(form.recipients),
      language: form.language,
    };
    setPending(true);
    setError(null);
    notifyApi.createRule(props.api, request).then(
      () => {
        setPending(false);
        setForm(EMPTY_FORM);
        props.onCreated();
      },
      (failure: unknown) => {
        setPending(false);
        setError(describeError(failure, t));
      },
    );
  };

  return (
    <form class="notify-form card" onSubmit={submit}>
      <h4>{t('notify.rules.create')}</h4>
      <label>
        {t('notify.rules.name')}
        <input value={form.name} onInput={(e) => set({ name: e.currentTarget.value })} />
      </label>
      <fieldset>
        <legend>{t('notify.rules.kinds')}</legend>
        {EVENT_KINDS.map((kind) => (
          <label key={kind}>
            <input
              type="checkbox"
              checked={form.kinds.includes(kind)}
              onChange={(e) => toggleKind(kind, e.currentTarget.checked)}
            />
            {kindLabel(t, kind)}
          </label>
        ))}
      </fieldset>
      <label>
        {t('notify.rules.lender')}
        <select value={form.lender} onChange={(e) => set({ lender: e.currentTarget.value, portfolio: '' })}>
          <option value="">{t('notify.rules.any')}</option>
          {props.catalog.lenders.map((lender) => (
            <option key={lender.id} value={String(lender.id)}>
              {lender.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('notify.rules.portfolio')}
        <select value={form.portfolio} onChange={(e) => set({ portfolio: e.currentTarget.value })}>
          <option value="">{t('notify.rules.any')}</option>
          {portfolios.map((portfolio) => (
            <option key={portfolio.id} value={String(portfolio.id)}>
              {portfolio.lender_name} · {portfolio.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('notify.rules.agent')}
        <select value={form.agent} onChange={(e) => set({ agent: e.currentTarget.value })}>
          <option value="">{t('notify.rules.any')}</option>
          {props.catalog.agents.map((agent) => (
            <option key={agent.id} value={String(agent.id)}>
              {agent.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('notify.rules.resultCodes')}
        <input
          value={form.codes}
          placeholder="PTP, NOBODY_HOME"
          onInput={(e) => set({ codes: e.currentTarget.value })}
        />
        <span class="hint">{t('notify.rules.resultCodesHint')}</span>
      </label>
      <label>
        {t('notify.rules.recipients')}
        <textarea value={form.recipients} onInput={(e) => set({ recipients: e.currentTarget.value })} />
        <span class="hint">{t('notify.rules.recipientsHint')}</span>
      </label>
      <label>
        {t('notify.rules.language')}
        <select value={form.language} onChange={(e) => set({ language: e.currentTarget.value as 'es' | 'en' })}>
          <option value="es">{t('language.es')}</option>
          <option value="en">{t('language.en')}</option>
        </select>
      </label>
      {error === null ? null : (
        <p role="alert" class="form-error">
          {error}
        </p>
      )}
      <button type="submit" class="button button--primary" disabled={pending}>
        {t('notify.rules.save')}
      </button>
    </form>
  );
}
