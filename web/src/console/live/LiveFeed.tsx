// Live feed of the "Hoy" page: visits arriving and refused check-ins, as the
// server sends them on `GET /api/live`, newest first.

import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../../shared/ui/i18n-context';
import { addEntry, FEED_KINDS, parseFeedEvent, type FeedEntry } from './feedEvents';
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
          {entries.map((entry) => {
            const result = language === 'en' ? (entry.resultLabelEn ?? entry.resultLabelEs) : entry.resultLabelEs;
            const account = [entry.debtorName, entry.lenderAccountId, entry.lenderName].filter((part) => part !== null);
            return (
              <li key={entry.key} class={`live-feed__item live-feed__item--${entry.kind.replace('.', '-')}`}>
                <time dateTime={new Date(entry.time).toISOString()}>{timeFormat.format(entry.time)}</time>{' '}
                <strong>{t(entry.kind === 'visit.completed' ? 'notify.feed.visit' : 'notify.feed.rejected')}</strong>
                <span class="live-feed__agent">{entry.agentName}</span>
                <span class="live-feed__account">{account.length === 0 ? '—' : account.join(' · ')}</span>
                {result === null ? null : <span class="live-feed__result">{result}</span>}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
