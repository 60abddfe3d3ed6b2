// One agent's day on the map, for the date picked: distance, stops, visits
// and flagged points, with tables that carry the same facts as the map.

import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../../shared/api';
import { describeError } from '../../shared/errors';
import type { User } from '../../shared/types';
import { useI18n } from '../../shared/ui/i18n-context';
import { agentDay, type AgentDay, type DayVisit } from './api';
import { DayMap } from './DayMap';
import { getProfile, type StartLocation } from './profileApi';
import {
  flagReasonText,
  formatClock,
  formatDuration,
  formatKm,
  isoDate,
  verdictText,
  visitAccount,
} from './dayFormat';

type DayState = { kind: 'loading' } | { kind: 'failed'; message: string } | { kind: 'loaded'; day: AgentDay };

export function DayPanel(props: { api: ApiClient; agent: User }) {
  const { t, language } = useI18n();
  const [date, setDate] = useState(() => isoDate(new Date()));
  const [state, setState] = useState<DayState>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [start, setStart] = useState<StartLocation | null>(null);

  useEffect(() => {
    let cancelled = false;
    setStart(null);
    // The start marker is optional, so a failed profile read leaves the map without it.
    getProfile(props.api, String(props.agent.id)).then(
      (profile) => {
        if (!cancelled) setStart(profile.start_location);
      },
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [props.api, props.agent.id]);

  useEffect(() => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return;
    let cancelled = false;
    setState({ kind: 'loading' });
    agentDay(props.api, String(props.agent.id), date).then(
      (day) => {
        if (!cancelled) setState({ kind: 'loaded', day });
      },
      (failure: unknown) => {
        if (!cancelled) setState({ kind: 'failed', message: describeError(failure, t) });
      },
    );
    return () => {
      cancelled = true;
    };
    // `t` is left out: a language change must not fetch the day again.
  }, [props.api, props.agent.id, date, attempt]);

  return (
    <section class="agent-panel" aria-labelledby="day-title">
      <div class="agent-panel__heading">
        <h3 id="day-title">{t('agents.dayTitle')}</h3>
        <div class="form-field form-field--inline">
          <label for="day-date">{t('agents.dayDate')}</label>
          <input
            id="day-date"
            type="date"
            value={date}
            max={isoDate(new Date())}
            onChange={(event) => setDate(event.currentTarget.value)}
          />
        </div>
      </div>
      {state.kind === 'loading' ? <p role="status">{t('agents.dayLoading')}</p> : null}
      {state.kind === 'failed' ? (
        <div role="alert" class="form-error">
          <p>
            {t('agents.dayFailed')} {state.message}
          </p>
          <button type="button" class="button button--small" onClick={() => setAttempt((n) => n + 1)}>
            {t('common.retry')}
          </button>
        </div>
      ) : null}
      {state.kind === 'loaded' ? <DayContent day={state.day} language={language} start={start} /> : null}
    </section>
  );
}

function DayContent(props: { day: AgentDay; language: 'es' | 'en'; start: StartLocation | null }) {
  const { t } = useI18n();
  const { day } = props;
  const flagged = flaggedPoints(day);
  const empty =
    day.track.length === 0 &&
    day.stops.length === 0 &&
    day.visits.length === 0 &&
    day.accepted_count === 0 &&
    day.flagged_count === 0;

  if (empty) {
    return (
      <div class="empty-state">
        <p class="empty-state__title">{t('agents.dayEmptyTitle')}</p>
        <p class="empty-state__body">{t('agents.dayEmptyBody')}</p>
      </div>
    );
  }

  return (
    <>
      <dl class="day-summary">
        <div>
          <dt>{t('agents.distance')}</dt>
          <dd>{t('agents.km', { km: formatKm(day.distance_m, props.language) })}</dd>
        </div>
        <div>
          <dt>{t('agents.stops')}</dt>
          <dd>{day.stops.length}</dd>
        </div>
        <div>
          <dt>{t('agents.visits')}</dt>
          <dd>{day.visits.length}</dd>
        </div>
        <div>
          <dt>{t('agents.acceptedPoints')}</dt>
          <dd>{day.accepted_count}</dd>
        </div>
        <div>
          <dt>{t('agents.flaggedPoints')}</dt>
          <dd>{day.flagged_count}</dd>
        </div>
      </dl>
      {day.from_summary ? <p class="notice">{t('agents.fromSummary')}</p> : null}
      <DayMap day={day} start={props.start} />
      <p class="hint">{t('agents.timesIn', { zone: day.time_zone })}</p>
      {day.stops.length === 0 ? null : (
        <table class="agents-table">
          <caption>{t('agents.stopsTable')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('agents.colFrom')}</th>
              <th scope="col">{t('agents.colTo')}</th>
              <th scope="col">{t('agents.colDuration')}</th>
              <th scope="col">{t('agents.colPlace')}</th>
            </tr>
          </thead>
          <tbody>
            {day.stops.map((stop) => (
              <tr key={stop.start}>
                <td>{formatClock(stop.start, day.time_zone)}</td>
                <td>{formatClock(stop.end, day.time_zone)}</td>
                <td>{formatDuration(stop.end - stop.start, t)}</td>
                <td>
                  {stop.latitude.toFixed(5)}, {stop.longitude.toFixed(5)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {day.visits.length === 0 ? null : <VisitsTable visits={day.visits} timeZone={day.time_zone} />}
      {flagged.length === 0 ? null : (
        <table class="agents-table">
          <caption>{t('agents.flaggedTable')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('agents.colTime')}</th>
              <th scope="col">{t('agents.colReason')}</th>
              <th scope="col">{t('agents.colPlace')}</th>
            </tr>
          </thead>
          <tbody>
            {flagged.map((point, index) => (
              <tr key={`${point.fix_time}-${index}`}>
                <td>{formatClock(point.fix_time, day.time_zone)}</td>
                <td>{flagReasonText(point.flag_reason ?? '', t)}</td>
                <td>{point.place ?? t('agents.noPlace')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** Lists the day's flagged points, with and without coordinates, oldest first. */
function flaggedPoints(day: AgentDay): { fix_time: number; flag_reason: string | null; place: string | null }[] {
  const located = day.track
    .filter((point) => point.flag_reason !== null)
    .map((point) => ({ ...point, place: `${point.latitude.toFixed(5)}, ${point.longitude.toFixed(5)}` }));
  const unlocated = day.unlocated.map((point) => ({ ...point, place: null }));
  return [...located, ...unlocated].sort((a, b) => a.fix_time - b.fix_time);
}

function VisitsTable(props: { visits: DayVisit[]; timeZone: string }) {
  const { t } = useI18n();
  return (
    <table class="agents-table">
      <caption>{t('agents.visitsTable')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('agents.colFrom')}</th>
          <th scope="col">{t('agents.colTo')}</th>
          <th scope="col">{t('agents.colAccount')}</th>
          <th scope="col">{t('agents.colResult')}</th>
          <th scope="col">{t('agents.colVerdict')}</th>
          <th scope="col">{t('agents.colCheckIn')}</th>
        </tr>
      </thead>
      <tbody>
        {props.visits.map((visit) => (
          <tr key={visit.visit_id}>
            <td>{formatClock(visit.started_at, props.timeZone)}</td>
            <td>{formatClock(visit.finished_at, props.timeZone)}</td>
            <td>
              {visitAccount(visit)}
              <span class="hint"> · {visit.lender_name}</span>
            </td>
            <td>{visit.result_code ?? t('agents.noResult')}</td>
            <td>
              <span class={`day-verdict day-verdict--${visit.verdict}`}>{verdictText(visit.verdict, t)}</span>
              {visit.status === 'waiting_for_attachments' ? (
                <span class="hint"> · {t('agents.waitingForAttachments')}</span>
              ) : null}
            </td>
            <td>
              {visit.checkin_latitude.toFixed(5)}, {visit.checkin_longitude.toFixed(5)} (±
              {Math.round(visit.checkin_accuracy_m)} m)
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
