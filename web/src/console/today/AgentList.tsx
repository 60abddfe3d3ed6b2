// Side list of the agents on the live map. It carries the same facts as the
// markers and is the way to reach them by keyboard or screen reader: each
// agent is a button that selects them and centres the map on them.

import { useI18n } from '../../shared/ui/i18n-context';
import { formatBattery, formatSeenAgo, formatSpeed, stateLabelKey } from './liveState';
import type { MapAgent } from './LiveMap';

interface AgentListProps {
  agents: MapAgent[];
  now: number;
  selectedId: string | null;
  onSelect: (agentId: string) => void;
}

export function AgentList(props: AgentListProps) {
  const { t } = useI18n();
  return (
    <ul class="live-list" aria-label={t('live.listLabel')}>
      {props.agents.map((agent) => {
        const selected = agent.agent_id === props.selectedId;
        return (
          <li key={agent.agent_id}>
            <button
              type="button"
              class={`live-list__item${selected ? ' live-list__item--selected' : ''}`}
              aria-pressed={selected}
              onClick={() => props.onSelect(agent.agent_id)}
            >
              <span class="live-list__name">{agent.agent_name}</span>
              <span class={`state-badge state-badge--${agent.current}`}>{t(stateLabelKey(agent.current))}</span>
              <span class="live-list__facts">
                <span>{formatSeenAgo(agent.fix_time, props.now, t)}</span>
                <span>
                  {t('live.batteryLabel')}: {formatBattery(agent.battery_pct, agent.charging, t)}
                </span>
                <span>
                  {t('live.speedLabel')}: {formatSpeed(agent.speed_mps, t)}
                </span>
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
