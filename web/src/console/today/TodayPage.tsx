// "Hoy" section: where every agent is now, on a map and in a list, with a
// place beside them for the live feed of visits.

import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ApiClient } from '../../shared/api';
import { browserTileSource } from '../../shared/map/tiles';
import { useI18n } from '../../shared/ui/i18n-context';
import { AgentList } from './AgentList';
import { DaySummaryCards } from './DaySummary';
import { Legend } from './Legend';
import { LiveMap, type MapAgent } from './LiveMap';
import { AGENT_STATES, agentState, type AgentState } from './liveState';
import { loadToday, type TodayView } from './todayApi';
import { useLiveAgents } from './useLiveAgents';
import './today.css';

interface TodayPageProps {
  api: ApiClient;
  /** The live feed of visits, shown beside the map when given. */
  feed?: ComponentChildren;
}

export function TodayPage(props: TodayPageProps) {
  const { t } = useI18n();
  const live = useLiveAgents(props.api);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const tiles = useMemo(() => browserTileSource(), []);
  const today = useToday(props.api);

  const agents: MapAgent[] = useMemo(() => {
    if (live.data.kind !== 'loaded') return [];
    return live.data.agents
      .map((agent) => ({ ...agent, current: agentState(agent, live.now) }))
      .sort((a, b) => a.agent_name.localeCompare(b.agent_name, 'es'));
  }, [live.data, live.now]);

  const counts = useMemo(() => {
    const result = Object.fromEntries(AGENT_STATES.map((state) => [state, 0])) as Record<AgentState, number>;
    for (const agent of agents) result[agent.current] += 1;
    return result;
  }, [agents]);

  return (
    <div class={`today${props.feed === undefined ? '' : ' today--with-feed'}`}>
      <section class="today__live" aria-labelledby="live-title">
        <div class="today__heading">
          <h2 id="live-title">{t('live.title')}</h2>
          <p class="today__connection" role="status">
            {t(`live.connection.${live.connection}`)}
          </p>
        </div>
        {today.kind === 'loaded' ? <DaySummaryCards summary={today.view.summary} /> : null}
        {today.kind === 'failed' ? (
          <p role="alert" class="form-error">
            {t('today.loadFailed')}
          </p>
        ) : null}
        <LiveContent
          live={live}
          visits={today.kind === 'loaded' ? today.view : null}
          agents={agents}
          counts={counts}
          selectedId={selectedId}
          onSelect={setSelectedId}
          tilesShown={tiles !== null}
        />
      </section>
      {props.feed === undefined ? null : <aside class="today__feed">{props.feed}</aside>}
    </div>
  );
}

/** How often the day's numbers are read again. */
const TODAY_REFRESH_MS = 30_000;

type TodayState = { kind: 'loading' } | { kind: 'loaded'; view: TodayView } | { kind: 'failed' };

/** Loads today's numbers and visit points, and reloads them every half minute. */
function useToday(api: ApiClient): TodayState {
  const [state, setState] = useState<TodayState>({ kind: 'loading' });
  useEffect(() => {
    let current = true;
    const load = () =>
      loadToday(api).then(
        (view) => {
          if (current) setState({ kind: 'loaded', view });
        },
        () => {
          if (current) setState((previous) => (previous.kind === 'loaded' ? previous : { kind: 'failed' }));
        },
      );
    void load();
    const timer = setInterval(() => void load(), TODAY_REFRESH_MS);
    return () => {
      current = false;
      clearInterval(timer);
    };
  }, [api]);
  return state;
}

interface LiveContentProps {
  live: ReturnType<typeof useLiveAgents>;
  /** Today's visits to draw beside the agents, once loaded. */
  visits: TodayView | null;
  agents: MapAgent[];
  counts: Record<AgentState, number>;
  selectedId: string | null;
  onSelect: (agentId: string) => void;
  tilesShown: boolean;
}

function LiveContent(props: LiveContentProps) {
  const { t } = useI18n();
  const { live } = props;

  if (live.data.kind === 'loading') {
    return <p role="status">{t('live.loading')}</p>;
  }
  if (live.data.kind === 'failed') {
    return (
      <div role="alert" class="form-error">
        <p>
          {t('live.loadFailed')} {live.data.message}
        </p>
        <button type="button" class="button button--small" onClick={live.reload}>
          {t('common.retry')}
        </button>
      </div>
    );
  }

  return (
    <>
      <Legend counts={props.counts} />
      {props.tilesShown ? null : <p class="today__note">{t('live.noTiles')}</p>}
      <div class="today__grid">
        <LiveMap
          agents={props.agents}
          visits={props.visits?.visits ?? []}
          now={live.now}
          selectedId={props.selectedId}
          onSelect={props.onSelect}
        />
        <div class="today__side">
          <h3>{t('live.listTitle')}</h3>
          {props.agents.length === 0 ? (
            <div class="empty-state">
              <p class="empty-state__title">{t('live.emptyTitle')}</p>
              <p class="empty-state__body">{t('live.emptyBody')}</p>
            </div>
          ) : (
            <AgentList agents={props.agents} now={live.now} selectedId={props.selectedId} onSelect={props.onSelect} />
          )}
        </div>
      </div>
    </>
  );
}
