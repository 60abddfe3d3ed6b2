// Requests and response types of the console's visits API.

import type { ApiClient } from '../../shared/api';

export type VerdictOutcome = 'verified' | 'doubtful' | 'rejected';
export type PinState = 'pending' | 'approved' | 'rejected';

export interface VisitSummary {
  id: string;
  agent_id: string;
  agent_name: string;
  account_id: string;
  lender_account_id: string;
  lender_id: string;
  lender_name: string;
  portfolio_id: string;
  portfolio_name: string;
  debtor_name: string | null;
  address_text: string;
  /** Unix milliseconds, device clock. */
  started_at: number;
  finished_at: number;
  received_at: number;
  status: 'complete' | 'waiting_for_attachments';
  result_code: string | null;
  result_label_es: string | null;
  result_label_en: string | null;
  verdict: VerdictOutcome;
  exception: 'pin_correction' | 'address_not_found' | null;
  pin_state: PinState | null;
  assigned_to_agent: boolean;
}

export interface VisitPage {
  visits: VisitSummary[];
  next_cursor: string | null;
}

export interface Point {
  latitude: number;
  longitude: number;
}

export interface VisitAddress {
  id: string;
  text: string;
  colonia: string | null;
  postal_code: string | null;
  municipality: string | null;
  state: string | null;
  time_zone: string | null;
  point: Point | null;
  point_source: string | null;
  point_confidence: number | null;
  verified_point: Point | null;
}

export interface ChoiceLabel {
  name: string;
  label_es: string | null;
  label_en: string | null;
}

export interface QuestionLabel {
  name: string;
  type: string;
  label_es: string | null;
  label_en: string | null;
  choices: ChoiceLabel[];
}

export interface VisitForm {
  version_id: string;
  form_id: string | null;
  version: string | null;
  title_es: string | null;
  title_en: string | null;
  questions: QuestionLabel[];
}

export interface VisitAttachment {
  sha256: string;
  kind: 'photo' | 'signature' | 'pin_photo';
  content_type: string;
  size_bytes: number;
  question: string;
  received: boolean;
}

export interface CheckIn {
  latitude: number;
  longitude: number;
  accuracy_m: number;
  fix_time: number;
  mock: boolean;
  device_time: number;
  server_offset_ms: number;
  on_device_decision: 'accepted' | 'refused';
  on_device_reasons: unknown[];
}

/** One finding of the server's verdict: `code`, `severity` and the measured values. */
export interface VerdictReason {
  code: string;
  severity?: string;
  [value: string]: unknown;
}

export interface PinCorrection {
  latitude: number;
  longitude: number;
  state: PinState;
  note: string | null;
  decided_by_kind: string | null;
  decided_by_id: string | null;
  decided_at: number | null;
}

export interface VisitEvent {
  id: string;
  kind: string;
  occurred_at: number;
  created_at: number;
  dispatched_at: number | null;
}

export interface AuditEntry {
  id: number;
  actor_kind: string;
  actor_id: string | null;
  action: string;
  target_kind: string;
  target_id: string | null;
  details: Record<string, unknown>;
  /** RFC 3339. */
  created_at: string;
}

export interface TrackFix {
  fix_time: number;
  latitude: number;
  longitude: number;
  accuracy_m: number | null;
  flag_reason: string | null;
}

export interface VisitDetail extends VisitSummary {
  completed_at: number | null;
  account: {
    id: string;
    lender_account_id: string;
    lender_name: string;
    portfolio_name: string;
    product: string | null;
    overdue_cents: number | null;
    days_past_due: number | null;
    debtor_name: string | null;
  };
  address: VisitAddress;
  form: VisitForm;
  answers: Record<string, unknown>;
  person_met: string | null;
  promise_amount_cents: number | null;
  promise_date: string | null;
  promise_channel: string | null;
  attachments: VisitAttachment[];
  check_in: CheckIn;
  verdict_reasons: VerdictReason[];
  pin_correction: PinCorrection | null;
  events: VisitEvent[];
  audit: AuditEntry[];
  track: TrackFix[];
}

export interface VisitFilters {
  from: string;
  to: string;
  agent_id: string;
  lender_id: string;
  portfolio_id: string;
  result_code: string;
  verdict: string;
}

export const EMPTY_FILTERS: VisitFilters = {
  from: '',
  to: '',
  agent_id: '',
  lender_id: '',
  portfolio_id: '',
  result_code: '',
  verdict: '',
};

export const PAGE_SIZE = 50;

/** Builds the query string of `GET /api/visits`, leaving out empty filters. */
export function visitsQuery(filters: VisitFilters, cursor: string | null = null): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) {
    const trimmed = value.trim();
    if (trimmed !== '') params.set(name, trimmed);
  }
  params.set('limit', String(PAGE_SIZE));
  if (cursor !== null) params.set('cursor', cursor);
  return params.toString();
}

export function listVisits(api: ApiClient, filters: VisitFilters, cursor: string | null = null): Promise<VisitPage> {
  return api.request<VisitPage>('GET', `/api/visits?${visitsQuery(filters, cursor)}`);
}

export function getVisit(api: ApiClient, id: string): Promise<VisitDetail> {
  return api.request<VisitDetail>('GET', `/api/visits/${encodeURIComponent(id)}`);
}

export function attachmentUrl(visitId: string, sha256: string): string {
  return `/api/visits/${encodeURIComponent(visitId)}/attachments/${encodeURIComponent(sha256)}`;
}

export interface PinDecisionResult {
  pin_correction: PinCorrection;
  verified_point: Point | null;
}

export function decidePin(
  api: ApiClient,
  visitId: string,
  decision: 'approve' | 'reject',
  note: string,
): Promise<PinDecisionResult> {
  const trimmed = note.trim();
  return api.request<PinDecisionResult>('POST', `/api/visits/${encodeURIComponent(visitId)}/pin-correction`, {
    decision,
    note: trimmed === '' ? null : trimmed,
  });
}
