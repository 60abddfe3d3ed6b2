// Legend of the marker colours, with how many agents are in each state.

import { useI18n } from '../../shared/ui/i18n-context';
import { AGENT_STATES, stateLabelKey, type AgentState } from './liveState';

export function Legend(props: { counts: Record<AgentState, number> }) {
  const { t } = useI18n();
  return (
    <ul class="live-legend" aria-label={t('live.legend')}>
      {AGENT_STATES.map((state) => (
        <li key={state}>
          <span class={`live-legend__swatch live-marker--${state}`} aria-hidden="true" />
          <span>
            {t(stateLabelKey(state))}: <strong>{props.counts[state]}</strong>
          </span>
        </li>
      ))}
    </ul>
  );
}
