// One visit's evidence: account and address, every answer with its question,
// photos and signature, the map of the check-in, the verdict with its reasons,
// the proposed pin and its decision, the timeline and the audit trail.

import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../../shared/api';
import { describeError } from '../../shared/errors';
import type { Role } from '../../shared/types';
import { useI18n } from '../../shared/ui/i18n-context';
import { attachmentUrl, getVisit, type PinDecisionResult, type VisitDetail } from './api';
import {
  answerChoiceText,
  answerRows,
  auditActionText,
  formatDateTime,
  formatPesos,
  pickLabel,
  reasonText,
  timeline,
} from './format';
import { PinPanel } from './PinPanel';
import { VisitMap } from './VisitMap';

type DetailState = { kind: 'loading' } | { kind: 'failed'; message: string } | { kind: 'loaded'; visit: VisitDetail };

export function VisitPage(props: { api: ApiClient; role: Role; visitId: string }) {
  const { api, visitId } = props;
  const { t } = useI18n();
  const [state, setState] = useState<DetailState>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let cancelled = false;
    setState({ kind: 'loading' });
    getVisit(api, visitId).then(
      (visit) => {
        if (!cancelled) setState({ kind: 'loaded', visit });
      },
      (failure: unknown) => {
        if (!cancelled) setState({ kind: 'failed', message: describeError(failure, t) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, visitId, attempt]);

  const back = (
    <p>
      <a href="#/visits">← {t('visits.backToList')}</a>
    </p>
  );
  if (state.kind === 'loading') {
    return (
      <>
        {back}
        <p role="status">{t('common.loading')}</p>
      </>
    );
  }
  if (state.kind === 'failed') {
    return (
      <>
        {back}
        <div role="alert" class="form-error">
          <p>
            {t('visits.detailFailed')} {state.message}
          </p>
          <button type="button" class="button button--small" onClick={() => setAttempt((n) => n + 1)}>
            {t('common.retry')}
          </button>
        </div>
      </>
    );
  }
  // A decision changes the pin and the address's verified point, and adds an
  // audit entry, so the page reads the visit again.
  const onDecided = (_result: PinDecisionResult) => setAttempt((n) => n + 1);
  return (
    <>
      {back}
      <VisitEvidence api={api} role={props.role} visit={state.visit} onDecided={onDecided} />
    </>
  );
}

function VisitEvidence(props: {
  api: ApiClient;
  role: Role;
  visit: VisitDetail;
  onDecided: (result: PinDecisionResult) => void;
}) {
  const { visit } = props;
  const { t, language } = useI18n();
  const zone = visit.address.time_zone;
  const when = (ms: number) => formatDateTime(ms, language, zone);
  const result = pickLabel(visit.result_label_es, visit.result_label_en, language) ?? visit.result_code;
  const photos = visit.attachments.filter((file) => file.kind !== 'signature');
  const signatures = visit.attachments.filter((file) => file.kind === 'signature');

  return (
    <article class="visit" aria-labelledby="visit-title">
      <h2 id="visit-title">
        {t('visits.detailTitle', { account: visit.account.lender_account_id, agent: visit.agent_name })}
      </h2>

      <dl class="visit__facts">
        <dt>{t('visits.fact.agent')}</dt>
        <dd>{visit.agent_name}</dd>
        <dt>{t('visits.fact.account')}</dt>
        <dd>
          {visit.account.lender_account_id} · {visit.account.lender_name} · {visit.account.portfolio_name}
          {visit.account.overdue_cents !== null ? ` · ${formatPesos(visit.account.overdue_cents, language)}` : ''}
        </dd>
        <dt>{t('visits.fact.debtor')}</dt>
        <dd>{visit.account.debtor_name ?? '—'}</dd>
        <dt>{t('visits.fact.address')}</dt>
        <dd>{visit.address.text}</dd>
        <dt>{t('visits.fact.result')}</dt>
        <dd>{result ?? '—'}</dd>
        {visit.promise_amount_cents !== null ? (
          <>
            <dt>{t('visits.fact.promise')}</dt>
            <dd>
              {formatPesos(visit.promise_amount_cents, language)}
              {visit.promise_date ? ` · ${visit.promise_date}` : ''}
              {visit.promise_channel
                ? ` · ${answerChoiceText(visit.form, 'promise_channel', visit.promise_channel, language)}`
                : ''}
            </dd>
          </>
        ) : null}
        <dt>{t('visits.fact.time')}</dt>
        <dd>
          {when(visit.started_at)} – {when(visit.finished_at)}
        </dd>
        <dt>{t('visits.fact.form')}</dt>
        <dd>
          {pickLabel(visit.form.title_es, visit.form.title_en, language) ?? visit.form.form_id ?? visit.form.version_id}
          {visit.form.version ? ` (${visit.form.version})` : ''}
        </dd>
        {!visit.assigned_to_agent ? (
          <>
            <dt>{t('visits.fact.assignment')}</dt>
            <dd class="visits__warning">{t('visits.notAssigned')}</dd>
          </>
        ) : null}
      </dl>

      <section aria-labelledby="visit-verdict-title" class="visit__section">
        <h3 id="visit-verdict-title">
          {t('visits.section.verdict')}{' '}
          <span class={`verdict-badge verdict-badge--${visit.verdict}`}>{t(`visits.verdict.${visit.verdict}`)}</span>
        </h3>
        {visit.verdict_reasons.length === 0 ? (
          <p>{t('visits.noReasons')}</p>
        ) : (
          <ul class="visit__reasons">
            {visit.verdict_reasons.map((reason, index) => (
              <li key={index} class={`visit__reason visit__reason--${reason.severity ?? 'info'}`}>
                {reasonText(reason, t)}
              </li>
            ))}
          </ul>
        )}
        <p class="visits__muted">
          {t('visits.checkInFix', {
            accuracy: Math.round(visit.check_in.accuracy_m),
            time: when(visit.check_in.fix_time),
            offset: Math.round(visit.check_in.server_offset_ms / 1000),
          })}
          {visit.check_in.mock ? ` ${t('visits.mockFix')}` : ''}
        </p>
      </section>

      {visit.pin_correction !== null ? (
        <PinPanel api={props.api} role={props.role} visit={visit} onDecided={props.onDecided} />
      ) : null}

      <section aria-labelledby="visit-map-title" class="visit__section">
        <h3 id="visit-map-title">{t('visits.section.map')}</h3>
        <VisitMap visit={visit} />
      </section>

      <section aria-labelledby="visit-answers-title" class="visit__section">
        <h3 id="visit-answers-title">{t('visits.section.answers')}</h3>
        <table class="visit__answers">
          <tbody>
            {answerRows(visit, language).map((row) => (
              <tr key={row.name}>
                <th scope="row">{row.label}</th>
                <td>
                  {row.value.kind === 'text' ? row.value.text : t('visits.fileAnswer', { sha: row.value.sha256.slice(0, 12) })}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="visit-photos-title" class="visit__section">
        <h3 id="visit-photos-title">{t('visits.section.photos')}</h3>
        <Gallery visitId={visit.id} files={photos} emptyText={t('visits.noPhotos')} />
        <h4>{t('visits.section.signature')}</h4>
        <Gallery visitId={visit.id} files={signatures} emptyText={t('visits.noSignature')} />
      </section>

      <section aria-labelledby="visit-timeline-title" class="visit__section">
        <h3 id="visit-timeline-title">{t('visits.section.timeline')}</h3>
        <ol class="visit__timeline">
          {timeline(visit, t).map((entry, index) => (
            <li key={index}>
              <time dateTime={new Date(entry.at).toISOString()}>{when(entry.at)}</time> {entry.label}
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="visit-audit-title" class="visit__section">
        <h3 id="visit-audit-title">{t('visits.section.audit')}</h3>
        {visit.audit.length === 0 ? (
          <p>{t('visits.noAudit')}</p>
        ) : (
          <ul class="visit__audit">
            {visit.audit.map((entry) => (
              <li key={entry.id}>
                <time dateTime={entry.created_at}>{when(Date.parse(entry.created_at))}</time> {auditActionText(entry.action, t)}
                {typeof entry.details.note === 'string' ? ` · ${entry.details.note}` : ''}
              </li>
            ))}
          </ul>
        )}
      </section>
    </article>
  );
}

function Gallery(props: { visitId: string; files: VisitDetail['attachments']; emptyText: string }) {
  const { t } = useI18n();
  if (props.files.length === 0) {
    return <p>{props.emptyText}</p>;
  }
  return (
    <ul class="visit__gallery">
      {props.files.map((file) => (
        <li key={file.sha256}>
          {file.received ? (
            <a href={attachmentUrl(props.visitId, file.sha256)} target="_blank" rel="noopener">
              <img
                src={attachmentUrl(props.visitId, file.sha256)}
                alt={t('visits.photoAlt', { question: file.question })}
                loading="lazy"
              />
            </a>
          ) : (
            <p class="visits__muted">{t('visits.fileMissing', { question: file.question })}</p>
          )}
        </li>
      ))}
    </ul>
  );
}
