// Live feed of the "Hoy" page, newest first, as the server sends it on `GET /api/live`.
// It lists arriving visits, rejected check-ins and agents whose phone runs low on
// battery or stops sending positions.

import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../../shared/ui/i18n-context';
import {
  addEntry,
  entryLink,
  FEED_KINDS,
  isVisitEntry,
  parseFeedEvent,
  type FeedEntry,
  type LowBatteryEntry,
  type StaleEntry,
  type VisitEntry,
} from './feedEvents';
import './live.css';

const LIVE_URL = '/api/live';

type Connection = 'connecting' | 'live' | 'lost' | 'unsupported';

// NOTE: the Hoy page's map opens its own stream on the same URL, so each open
// Hoy page holds two connections. One shared EventSource would halve them.
function useFeed(): { entries: FeedEntry[]; connection: Connection } {
  const [entries, setEntries] = useState<FeedEntry[]>([]);
  const [connection, setConnection] = useState<Connection>('connecting');

  useEffect(() => {
    if (typeof EventSource === 'undefined') {
      setConnection('unsupported');
      return;
    }
    const source = new EventSource(LIVE_URL, { withCredentials: true });
    source.addEventListener('open', () => setConnection('live'));
    source.addEventListener('error', () => setConnection('lost'));
    for (const kind of FEED_KINDS) {
      source.addEventListener(kind, (event) => {
        const entry = parseFeedEvent(kind, (event as MessageEvent<string>).data);
        if (entry !== null) setEntries((previous) => addEntry(previous, entry));
      });
    }
    return () => source.close();
  }, []);

  return { entries, connection };
}

export function LiveFeed() {
  const { t, language } = useI18n();
  const { entries, connection } = useFeed();
  const timeFormat = new Intl.DateTimeFormat(language === 'en' ? 'en-US' : 'es-MX', {
    hour: '2-digit',
    minute: '2-digit',
  });

  return (
    <section class="live-feed" aria-labelledby="live-feed-title">
      <h2 id="live-feed-title">{t('notify.feed.title')}</h2>
      <p class="live-feed__connection" role="status">
        {t(`notify.feed.connection.${connection}`)}
      </p>
      {entries.length === 0 ? (
        <div class="empty-state">
          <p class="empty-state__title">{t('notify.feed.emptyTitle')}</p>
          <p class="empty-state__body">{t('notify.feed.emptyBody')}</p>
        </div>
      ) : (
        <ol class="live-feed__list">
          {entries.map((entry) => (
            <li key={entry.key} class={`live-feed__item live-feed__item--${entry.kind.replace(/[._]/g, '-')}`}>
              <time dateTime={new Date(entry.time).toISOString()}>{timeFormat.format(entry.time)}</time>{' '}
              {isVisitEntry(entry) ? (
                <VisitDetails entry={entry} />
              ) : (
                <AgentDetails entry={entry} timeFormat={timeFormat} />
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function VisitDetails(props: { entry: VisitEntry }) {
  const { t, language } = useI18n();
  const { entry } = props;
  const result = language === 'en' ? (entry.resultLabelEn ?? entry.resultLabelEs) : entry.resultLabelEs;
  const account = [entry.debtorName, entry.lenderAccountId, entry.lenderName].filter((part) => part !== null);
  return (
    <>
      <strong>{t(entry.kind === 'visit.completed' ? 'notify.feed.visit' : 'notify.feed.rejected')}</strong>
      <span class="live-feed__agent">{entry.agentName}</span>
      <span class="live-feed__account">{account.length === 0 ? '—' : account.join(' · ')}</span>
      {result === null ? null : <span class="live-feed__result">{result}</span>}
      <a class="live-feed__link" href={entryLink(entry)}>
        {t('notify.feed.openVisit')}
      </a>
    </>
  );
}

function AgentDetails(props: { entry: LowBatteryEntry | StaleEntry; timeFormat: Intl.DateTimeFormat }) {
  const { t } = useI18n();
  const { entry } = props;
  const detail =
    entry.kind === 'agent.low_battery'
      ? t('notify.feed.lowBatteryDetail', { percent: Math.round(entry.batteryPct) })
      : t('notify.feed.staleDetail', {
          minutes: entry.staleAfterMinutes,
          time: props.timeFormat.format(entry.lastSeenAt),
        });
  return (
    <>
      <strong>{t(entry.kind === 'agent.low_battery' ? 'notify.feed.lowBattery' : 'notify.feed.stale')}</strong>
      <span class="live-feed__agent">{entry.agentName}</span>
      <span class="live-feed__detail">{detail}</span>
      <a class="live-feed__link" href={entryLink(entry)}>
        {t('notify.feed.openAgent')}
      </a>
    </>
  );
}
