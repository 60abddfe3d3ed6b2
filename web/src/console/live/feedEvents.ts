// Parsing of the events that `GET /api/live` sends for the feed (`visit.completed`,
// `checkin.rejected`, `agent.low_battery`, `agent.stale`) and the capped,
// newest-first list the feed shows.

export type VisitKind = 'visit.completed' | 'checkin.rejected';
export type AgentKind = 'agent.low_battery' | 'agent.stale';
export type FeedKind = VisitKind | AgentKind;
export const FEED_KINDS: readonly FeedKind[] = [
  'visit.completed',
  'checkin.rejected',
  'agent.low_battery',
  'agent.stale',
];

/** Maximum number of entries in the feed. Older ones drop off the end. */
export const FEED_CAP = 50;

const MINUTE_MS = 60_000;

interface EntryBase {
  /** Kind plus the event's subject and time, unique in the list. */
  key: string;
  /** When the event happened, Unix milliseconds. The list is sorted by it. */
  time: number;
  agentName: string;
}

export interface VisitEntry extends EntryBase {
  kind: VisitKind;
  visitId: string;
  debtorName: string | null;
  lenderAccountId: string | null;
  lenderName: string | null;
  resultLabelEs: string | null;
  resultLabelEn: string | null;
}

export interface LowBatteryEntry extends EntryBase {
  kind: 'agent.low_battery';
  agentId: string;
  /** Battery charge in percent, 0 to 100. */
  batteryPct: number;
}

export interface StaleEntry extends EntryBase {
  kind: 'agent.stale';
  agentId: string;
  /** The agent's last position, Unix milliseconds. */
  lastSeenAt: number;
  staleAfterMinutes: number;
}

export type FeedEntry = VisitEntry | LowBatteryEntry | StaleEntry;

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function finite(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function parseJson(data: string): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(data);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

function parseVisit(kind: VisitKind, payload: Record<string, unknown>): VisitEntry | null {
  const account = record(payload.account);
  const visitId = text(payload.visit_id);
  const agentName = text(record(payload.agent).name);
  const time = finite(payload.finished_at);
  if (visitId === null || agentName === null || time === null) return null;
  return {
    key: `${kind}:${visitId}`,
    kind,
    visitId,
    time,
    agentName,
    debtorName: text(account.debtor_name),
    lenderAccountId: text(account.lender_account_id),
    lenderName: text(account.lender_name),
    resultLabelEs: text(payload.result_label_es),
    resultLabelEn: text(payload.result_label_en),
  };
}

function parseLowBattery(payload: Record<string, unknown>): LowBatteryEntry | null {
  const agent = record(payload.agent);
  const agentId = text(agent.id);
  const agentName = text(agent.name);
  const batteryPct = finite(payload.battery_pct);
  const time = finite(payload.at);
  if (agentId === null || agentName === null || time === null) return null;
  if (batteryPct === null || batteryPct < 0 || batteryPct > 100) return null;
  return { key: `agent.low_battery:${agentId}:${time}`, kind: 'agent.low_battery', time, agentId, agentName, batteryPct };
}

function parseStale(payload: Record<string, unknown>): StaleEntry | null {
  const agent = record(payload.agent);
  const agentId = text(agent.id);
  const agentName = text(agent.name);
  const lastSeenAt = finite(payload.last_seen_at);
  const staleAfterMinutes = finite(payload.stale_after_minutes);
  if (agentId === null || agentName === null || lastSeenAt === null) return null;
  if (staleAfterMinutes === null || staleAfterMinutes <= 0) return null;
  return {
    key: `agent.stale:${agentId}:${lastSeenAt}`,
    kind: 'agent.stale',
    // The agent counts as stale from the last position plus the limit.
    time: lastSeenAt + staleAfterMinutes * MINUTE_MS,
    agentId,
    agentName,
    lastSeenAt,
    staleAfterMinutes,
  };
}

/** Reads one event's data, or returns `null` when it is not JSON or lacks a required field. */
export function parseFeedEvent(kind: FeedKind, data: string): FeedEntry | null {
  const payload = parseJson(data);
  if (payload === null) return null;
  switch (kind) {
    case 'visit.completed':
    case 'checkin.rejected':
      return parseVisit(kind, payload);
    case 'agent.low_battery':
      return parseLowBattery(payload);
    case 'agent.stale':
      return parseStale(payload);
  }
}

export function isVisitEntry(entry: FeedEntry): entry is VisitEntry {
  return entry.kind === 'visit.completed' || entry.kind === 'checkin.rejected';
}

/** Returns the console's hash route for the entry's visit evidence or the agent's day. */
export function entryLink(entry: FeedEntry): string {
  // NOTE: the agents page takes no agent from the route and opens with its first
  // agent selected, so the link lands on the list where the user picks this agent.
  return isVisitEntry(entry)
    ? `#/visits/${encodeURIComponent(entry.visitId)}`
    : '#/agents';
}

/** Adds `entry` in time order (newest first), replacing a repeat and keeping at most `cap`. */
export function addEntry(entries: readonly FeedEntry[], entry: FeedEntry, cap = FEED_CAP): FeedEntry[] {
  const rest = entries.filter((item) => item.key !== entry.key);
  const index = rest.findIndex((item) => item.time < entry.time);
  const next = index < 0 ? [...rest, entry] : [...rest.slice(0, index), entry, ...rest.slice(index)];
  return next.slice(0, cap);
}
