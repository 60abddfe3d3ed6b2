// Reading of the visit events that `GET /api/live` sends (`visit.completed`,
// `checkin.rejected`) and the capped, newest-first list the feed shows.

export type FeedKind = 'visit.completed' | 'checkin.rejected';
export const FEED_KINDS: readonly FeedKind[] = ['visit.completed', 'checkin.rejected'];

/** Maximum number of entries in the feed. Older ones drop off the end. */
export const FEED_CAP = 50;

export interface FeedEntry {
  /** `kind` and visit id, unique in the list. */
  key: string;
  kind: FeedKind;
  visitId: string;
  /** When the visit finished, Unix milliseconds. */
  time: number;
  agentName: string;
  debtorName: string | null;
  lenderAccountId: string | null;
  lenderName: string | null;
  resultLabelEs: string | null;
  resultLabelEn: string | null;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/** Reads one event's data, or returns `null` when it lacks the visit, agent or time. */
export function parseFeedEvent(kind: FeedKind, data: string): FeedEntry | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return null;
  }
  const payload = record(parsed);
  const account = record(payload.account);
  const agent = record(payload.agent);
  const visitId = text(payload.visit_id);
  const agentName = text(agent.name);
  const time = payload.finished_at;
  if (visitId === null || agentName === null || typeof time !== 'number' || !Number.isFinite(time)) return null;
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

/** Adds `entry` in time order (newest first), replacing a repeat and keeping at most `cap`. */
export function addEntry(entries: readonly FeedEntry[], entry: FeedEntry, cap = FEED_CAP): FeedEntry[] {
  const rest = entries.filter((item) => item.key !== entry.key);
  const index = rest.findIndex((item) => item.time < entry.time);
  const next = index < 0 ? [...rest, entry] : [...rest.slice(0, index), entry, ...rest.slice(index)];
  return next.slice(0, cap);
}
