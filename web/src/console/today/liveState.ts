// Live positions of agents: their shape from the server, the state each agent
// is in, and the text the map and the list show for them.

import type { MessageKey } from '../../shared/i18n';

export type AgentState = 'active' | 'stale' | 'offline' | 'low_battery';

/** One row of `GET /api/tracking/live`. Times are Unix milliseconds. */
export interface LiveAgent {
  agent_id: string;
  agent_name: string;
  state: AgentState;
  fix_time: number;
  received_at: number;
  latitude: number;
  longitude: number;
  accuracy_m: number | null;
  speed_mps: number | null;
  battery_pct: number | null;
  charging: boolean | null;
}

export interface LiveAgents {
  server_time: number;
  agents: LiveAgent[];
}

// The same thresholds as the server's live list, so that a position that
// arrives by server-sent event gets the state the list would give it.
export const STALE_AFTER_MINUTES = 5;
export const OFFLINE_AFTER_MINUTES = 30;
export const LOW_BATTERY_PCT = 20;

/** States in the order of the legend. */
export const AGENT_STATES: readonly AgentState[] = ['active', 'stale', 'low_battery', 'offline'];

type BatteryReading = Pick<LiveAgent, 'fix_time' | 'battery_pct' | 'charging'>;

/**
 * Returns the agent's state at `now` (Unix ms). Offline wins over low battery,
 * because an old battery reading does not describe the phone now.
 */
export function agentState(position: BatteryReading, now: number): AgentState {
  const minutes = Math.floor((now - position.fix_time) / 60_000);
  if (minutes >= OFFLINE_AFTER_MINUTES) {
    return 'offline';
  }
  const low = position.battery_pct !== null && position.battery_pct < LOW_BATTERY_PCT && position.charging !== true;
  if (low) {
    return 'low_battery';
  }
  return minutes >= STALE_AFTER_MINUTES ? 'stale' : 'active';
}

export function stateLabelKey(state: AgentState): MessageKey {
  return `live.state.${state}`;
}

/** Fill colours of the markers, chosen to differ for colour-blind readers too. */
export const STATE_COLORS: Record<AgentState, string> = {
  active: '#1a7f37',
  stale: '#b35c00',
  low_battery: '#b3261e',
  offline: '#6b7280',
};

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** Formats how long ago a fix was taken: "visto hace 3 min", "visto hace 2 h 5 min". */
export function formatSeenAgo(fixTime: number, now: number, t: Translate): string {
  const minutes = Math.max(0, Math.floor((now - fixTime) / 60_000));
  if (minutes < 1) {
    return t('live.seenJustNow');
  }
  if (minutes < 60) {
    return t('live.seenMinutes', { minutes });
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 24) {
    return t('live.seenHours', { hours, minutes: minutes % 60 });
  }
  return t('live.seenDays', { days: Math.floor(hours / 24) });
}

/** Formats a speed in m/s as whole km/h, or a dash when the device sent none. */
export function formatSpeed(speedMps: number | null, t: Translate): string {
  if (speedMps === null || !Number.isFinite(speedMps)) {
    return t('live.noValue');
  }
  return t('live.speedKmh', { speed: Math.round(speedMps * 3.6) });
}

export function formatBattery(battery: number | null, charging: boolean | null, t: Translate): string {
  if (battery === null || !Number.isFinite(battery)) {
    return t('live.noValue');
  }
  const percent = Math.round(battery);
  return charging === true ? t('live.batteryCharging', { percent }) : t('live.battery', { percent });
}
