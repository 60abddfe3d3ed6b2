// Requests and response types of the account page: one account with its
// persons, addresses, current agent and contact history.

import type { ApiClient } from '../../shared/api';

export interface MapPoint {
  latitude: number;
  longitude: number;
}

export interface AccountHeader {
  id: string;
  lender_id: string;
  lender_name: string;
  portfolio_id: string;
  portfolio_name: string;
  lender_account_id: string;
  product: string | null;
  principal_cents: number | null;
  overdue_cents: number | null;
  days_past_due: number | null;
  currency: string;
  custom_fields: Record<string, unknown>;
}

export type PersonRole = 'debtor' | 'guarantor' | 'reference';

export interface AccountPerson {
  id: string;
  role: PersonRole;
  name: string;
  phones: string[];
  emails: string[];
}

export interface AccountAddress {
  id: string;
  street: string | null;
  exterior_number: string | null;
  interior_number: string | null;
  colonia: string | null;
  postal_code: string | null;
  locality: string | null;
  municipality: string | null;
  state: string | null;
  between_streets: string | null;
  landmarks: string | null;
  original_text: string;
  geocode: (MapPoint & { source: string; confidence: number }) | null;
  verified_point: MapPoint | null;
  verified_source: string | null;
  time_zone: string | null;
  needs_pin: boolean;
}

export interface HistoryEntry {
  kind: 'visit' | 'contact_attempt';
  id: string;
  /** Unix milliseconds. */
  at: number;
  channel: 'visit' | ContactChannel;
  user_id: string;
  user_name: string;
  result_code: string | null;
  result_label_es: string | null;
  result_label_en: string | null;
  verdict: 'verified' | 'doubtful' | 'rejected' | null;
  person_met: string | null;
  person_name: string | null;
  promise_amount_cents: number | null;
  promise_date: string | null;
  note: string | null;
  /** Outcome of the entry's promise against imported payments; null without one. */
  promise_outcome: PromiseOutcome | null;
}

/** A promise to pay and its outcome, from a visit or a hand-recorded contact. */
export interface PromiseOutcome {
  /** Origin of the promise: `visit` or the contact's channel. */
  source: 'visit' | ContactChannel;
  status: 'pending' | 'kept' | 'broken';
  created_on: string;
  /** The promised date plus the grace days. */
  due_on: string;
  amount_cents: number;
  paid_cents: number;
}

export interface AccountPageData {
  account: AccountHeader;
  persons: AccountPerson[];
  addresses: AccountAddress[];
  assignment: { assignment_id: string; agent_id: string; agent_name: string; assigned_at: number } | null;
  history: HistoryEntry[];
}

export const CONTACT_CHANNELS = ['phone', 'email', 'sms', 'whatsapp'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

export const PERSON_MET = ['debtor', 'guarantor', 'third_party', 'reference', 'minor', 'older_adult'] as const;
export type PersonMet = (typeof PERSON_MET)[number];

export interface ContactAttemptInput {
  channel: ContactChannel;
  /** Unix milliseconds. */
  occurred_at: number;
  result_code: string;
  person_id: string | null;
  person_met: PersonMet | null;
  promise_amount_cents: number | null;
  promise_date: string | null;
  note: string | null;
}

export interface ResultCodeOption {
  code: string;
  class: string;
  label_es: string;
  label_en: string;
  active: boolean;
}

export function getAccount(api: ApiClient, id: string): Promise<AccountPageData> {
  return api.request<AccountPageData>('GET', `/api/accounts/${encodeURIComponent(id)}`);
}

export function recordContactAttempt(api: ApiClient, accountId: string, input: ContactAttemptInput): Promise<HistoryEntry> {
  return api.request<HistoryEntry>('POST', `/api/accounts/${encodeURIComponent(accountId)}/contact-attempts`, input);
}

export function setAddressPoint(api: ApiClient, accountId: string, addressId: string, point: MapPoint): Promise<AccountAddress> {
  const path = `/api/accounts/${encodeURIComponent(accountId)}/addresses/${encodeURIComponent(addressId)}/point`;
  return api.request<AccountAddress>('PUT', path, point);
}

export async function listResultCodes(api: ApiClient): Promise<ResultCodeOption[]> {
  const body = await api.request<{ result_codes: ResultCodeOption[] }>('GET', '/api/result-codes');
  return body.result_codes.filter((code) => code.active);
}

/** Reads the account id of `#/accounts/{id}`, or `null` for the list. */
export function accountIdFromHash(hash: string): string | null {
  const match = /^#\/?accounts\/([^/?#]+)\/?$/.exec(hash);
  if (match === null) return null;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return null;
  }
}

/** Joins the Mexican address fields into one line, or returns the lender's text. */
export function addressLine(address: AccountAddress): string {
  const street = [address.street, address.exterior_number].filter(Boolean).join(' ');
  const interior = address.interior_number ? `int. ${address.interior_number}` : null;
  const parts = [
    [street, interior].filter(Boolean).join(', '),
    address.colonia ? `col. ${address.colonia}` : null,
    address.postal_code ? `C.P. ${address.postal_code}` : null,
    address.locality,
    address.municipality,
    address.state,
  ].filter((part): part is string => part !== null && part !== '');
  return parts.length > 0 ? parts.join(', ') : address.original_text;
}
