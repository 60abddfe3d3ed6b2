// Parsing of the `position` events that `GET /api/live` sends as server-sent
// events. The payload is the position itself, or `{kind, data}` around it.

import type { LiveAgent } from './liveState';

export type PositionUpdate = Omit<LiveAgent, 'agent_name' | 'state'>;

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Reads one event's data, or returns `null` when it is not a usable position. */
export function parsePositionEvent(text: string): PositionUpdate | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  let record = parsed as Record<string, unknown>;
  if (typeof record.data === 'object' && record.data !== null && record.agent_id === undefined) {
    record = record.data as Record<string, unknown>;
  }

  const agentId = record.agent_id;
  const fixTime = numberOrNull(record.fix_time);
  const latitude = numberOrNull(record.latitude);
  const longitude = numberOrNull(record.longitude);
  if (typeof agentId !== 'string' || fixTime === null || latitude === null || longitude === null) {
    return null;
  }
  return {
    agent_id: agentId,
    fix_time: fixTime,
    received_at: numberOrNull(record.received_at) ?? fixTime,
    latitude,
    longitude,
    accuracy_m: numberOrNull(record.accuracy_m),
    speed_mps: numberOrNull(record.speed_mps),
    battery_pct: numberOrNull(record.battery_pct),
    charging: typeof record.charging === 'boolean' ? record.charging : null,
  };
}

/**
 * Applies `update` to the agent it belongs to. Returns `null` when the agent
 * is not in `agents` (the caller reloads the list to learn their name), and
 * the unchanged list when the update is older than what the map shows.
 */
export function applyPosition(agents: readonly LiveAgent[], update: PositionUpdate): LiveAgent[] | null {
  const index = agents.findIndex((agent) => agent.agent_id === update.agent_id);
  if (index < 0) return null;
  const current = agents[index]!;
  if (update.fix_time < current.fix_time) return [...agents];
  const next = [...agents];
  next[index] = { ...current, ...update };
  return next;
}
