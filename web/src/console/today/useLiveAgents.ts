// Keeps the live positions of every agent up to date: one load of
// `GET /api/tracking/live`, then `position` events from `GET /api/live`.
// While the event stream is not open (the server lacks it, or the connection
// dropped), the list is reloaded every 15 seconds instead.

import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { ApiClient } from '../../shared/api';
import { describeError } from '../../shared/errors';
import { useI18n } from '../../shared/ui/i18n-context';
import { applyPosition, parsePositionEvent } from './liveFeed';
import type { LiveAgent, LiveAgents } from './liveState';

export const POLL_INTERVAL_MS = 15_000;
/** How often "visto hace" and the states are recomputed without new data. */
const CLOCK_TICK_MS = 20_000;
export const LIVE_EVENTS_URL = '/api/live';

export type Connection = 'connecting' | 'live' | 'polling';

export type LiveData =
  | { kind: 'loading' }
  | { kind: 'failed'; message: string }
  | { kind: 'loaded'; agents: LiveAgent[]; loadedAt: number };

export interface LiveAgentsState {
  data: LiveData;
  connection: Connection;
  /** Now on the server's clock, in Unix ms, so that ages do not depend on the browser's clock. */
  now: number;
  reload: () => void;
}

export function useLiveAgents(api: ApiClient): LiveAgentsState {
  const { t } = useI18n();
  const [data, setData] = useState<LiveData>({ kind: 'loading' });
  const [connection, setConnection] = useState<Connection>('connecting');
  const [clockOffset, setClockOffset] = useState(0);
  const [tick, setTick] = useState(() => Date.now());
  const loading = useRef(false);
  const dataRef = useRef(data);
  dataRef.current = data;
  const translate = useRef(t);
  translate.current = t;

  const load = useCallback(async () => {
    if (loading.current) return;
    loading.current = true;
    try {
      const live = await api.request<LiveAgents>('GET', '/api/tracking/live');
      setClockOffset(live.server_time - Date.now());
      setData({ kind: 'loaded', agents: live.agents, loadedAt: Date.now() });
      setTick(Date.now());
    } catch (error) {
      // A failed reload keeps the last list on screen; only a first load fails the page.
      setData((previous) =>
        previous.kind === 'loaded' ? previous : { kind: 'failed', message: describeError(error, translate.current) },
      );
    } finally {
      loading.current = false;
    }
  }, [api]);

  useEffect(() => {
    void load();
  }, [load]);

  // Server-sent events, when the browser and the server support them.
  useEffect(() => {
    if (typeof EventSource === 'undefined') {
      setConnection('polling');
      return;
    }
    const source = new EventSource(LIVE_EVENTS_URL, { withCredentials: true });
    source.addEventListener('open', () => {
      setConnection('live');
      // Catch up on whatever moved while the stream was closed.
      void load();
    });
    source.addEventListener('error', () => {
      setConnection('polling');
    });
    // The server skipped events for this slow subscriber, so the list is stale.
    source.addEventListener('lagged', () => void load());
    source.addEventListener('position', (event) => {
      const update = parsePositionEvent((event as MessageEvent<string>).data);
      const current = dataRef.current;
      if (update === null || current.kind !== 'loaded') return;
      const agents = applyPosition(current.agents, update);
      if (agents === null) {
        // A new agent: the list carries their name.
        void load();
        return;
      }
      const next: LiveData = { ...current, agents };
      // Two events may arrive before the next render.
      dataRef.current = next;
      setData(next);
      setTick(Date.now());
    });
    return () => source.close();
  }, [load]);

  // Polling fallback while the stream is not open.
  useEffect(() => {
    if (connection === 'live') return;
    const timer = setInterval(() => void load(), POLL_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [connection, load]);

  useEffect(() => {
    const timer = setInterval(() => setTick(Date.now()), CLOCK_TICK_MS);
    return () => clearInterval(timer);
  }, []);

  return { data, connection, now: tick + clockOffset, reload: () => void load() };
}
