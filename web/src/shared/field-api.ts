// HTTP client for the field app's endpoints under /api/field. Every time is
// Unix milliseconds (UTC). The session cookie authenticates; writes carry the
// CSRF token that the session response gave.

import { ApiError, CSRF_HEADER, NETWORK_ERROR, parseErrorBody, UNEXPECTED_RESPONSE } from './api';

export type Uuid = string;

export interface LangText {
  es?: string;
  en?: string;
}

export interface GeoPoint {
  latitude: number;
  longitude: number;
  source?: string;
  confidence?: string | number | null;
}

export interface DayAccount {
  id: Uuid;
  lender_id: Uuid;
  lender_name: string;
  lender_account_id: string;
  product: string | null;
  overdue_cents: number | null;
  days_past_due: number | null;
  /** Null when the lender's file named no debtor. */
  debtor_name: string | null;
  persons: DayPerson[];
}

export interface DayPerson {
  role: string;
  name: string;
  phones: string[];
}

export interface DayAddress {
  id: Uuid;
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
  /** The address as the lender wrote it. */
  original_text: string;
  /** IANA zone; null when the state is unknown. */
  time_zone: string | null;
  point: GeoPoint | null;
  verified_point: GeoPoint | null;
}

export interface DayStop {
  assignment_id: Uuid;
  route_order: number;
  account: DayAccount;
  address: DayAddress;
  visited: boolean;
}

export interface ResultCode {
  code: string;
  class: string;
  label_es: string;
  label_en: string;
}

export interface DayLender {
  id: Uuid;
  name: string;
  payment_references: string[];
  collection_phones: string[];
}

/** Form versions stay opaque here; the form model module owns their shape. */
export interface DayFormVersion {
  id: Uuid;
  form_id: string;
  version: string;
  content_hash: string;
  title: LangText;
  definition: unknown;
}

export interface DayPackage {
  fetched_at: number;
  server_time: number;
  agent: { id: Uuid; name: string };
  shift: { id: Uuid; clocked_in_at: number } | null;
  stops: DayStop[];
  forms: DayFormVersion[];
  form_for: { collection: Uuid | null; verification: Uuid | null };
  /** The organization's contact window; `default_time_zone` applies to addresses without a zone. */
  contact_rules: { window_start: string; window_end: string; default_time_zone?: string | null };
  checkin_rules: Record<string, unknown>;
  result_codes: ResultCode[];
  lenders: DayLender[];
}

export interface ShiftBody {
  clocked_in_at: number;
  clocked_out_at?: number;
}

export interface PositionFix {
  fix_time: number;
  latitude: number;
  longitude: number;
  accuracy_m: number;
  speed_mps?: number;
  bearing?: number;
  altitude?: number;
  battery_pct?: number;
  charging?: boolean;
  mock?: boolean;
}

export interface PositionsResult {
  accepted: number;
  flagged: number;
}

export type CheckInException = 'pin_correction' | 'address_not_found';

export interface CheckInBody {
  fix: { latitude: number; longitude: number; accuracy_m: number; fix_time: number; mock?: boolean };
  device_time: number;
  server_offset_ms: number;
  on_device: { decision: 'accepted' | 'refused'; reasons: unknown[] };
  exception?: CheckInException;
  proposed_point?: { latitude: number; longitude: number };
}

export type AttachmentKind = 'photo' | 'signature' | 'pin_photo';

export interface AttachmentRef {
  sha256: string;
  kind: AttachmentKind;
  content_type: string;
  bytes: number;
  question: string;
}

export interface VisitBody {
  assignment_id?: Uuid;
  account_id: Uuid;
  address_id: Uuid;
  form_version_id: Uuid;
  started_at: number;
  finished_at: number;
  check_in: CheckInBody;
  answers: Record<string, unknown>;
  attachments: AttachmentRef[];
}

export interface VisitReceipt {
  receipt: { visit_id: Uuid; received_at: number; content_sha256: string };
  status: 'complete' | 'waiting_for_attachments';
  missing_attachments: string[];
  verdict: { outcome: 'verified' | 'doubtful' | 'rejected'; reasons: unknown[] } | null;
}

/** The calls the sync engine makes; `FieldApi` is the HTTP implementation. */
export interface FieldTransport {
  putShift(id: Uuid, body: ShiftBody): Promise<void>;
  postPositions(positions: PositionFix[]): Promise<PositionsResult>;
  putVisit(id: Uuid, body: VisitBody): Promise<VisitReceipt>;
  putAttachment(sha256: string, contentType: string, bytes: ArrayBuffer): Promise<void>;
  /** Returns null when the server has never received the visit (404). */
  getReceipt(id: Uuid): Promise<VisitReceipt | null>;
}

export interface FieldApiOptions {
  baseUrl?: string;
  acceptLanguage?: () => string;
  fetch?: typeof fetch;
}

type Method = 'GET' | 'POST' | 'PUT';

export class FieldApi implements FieldTransport {
  private csrfToken: string | null = null;
  private readonly baseUrl: string;
  private readonly acceptLanguage: () => string;
  private readonly fetchImpl: typeof fetch;

  constructor(options: FieldApiOptions = {}) {
    this.baseUrl = options.baseUrl ?? '';
    this.acceptLanguage = options.acceptLanguage ?? (() => 'es-MX');
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  }

  setCsrfToken(token: string | null): void {
    this.csrfToken = token;
  }

  get hasCsrfToken(): boolean {
    return this.csrfToken !== null;
  }

  getDay(): Promise<DayPackage> {
    return this.send<DayPackage>('GET', '/api/field/day');
  }

  async putShift(id: Uuid, body: ShiftBody): Promise<void> {
    await this.send<unknown>('PUT', `/api/field/shifts/${encodeURIComponent(id)}`, json(body));
  }

  postPositions(positions: PositionFix[]): Promise<PositionsResult> {
    return this.send<PositionsResult>('POST', '/api/field/positions', json({ positions }));
  }

  putVisit(id: Uuid, body: VisitBody): Promise<VisitReceipt> {
    return this.send<VisitReceipt>('PUT', `/api/field/visits/${encodeURIComponent(id)}`, json(body));
  }

  async putAttachment(sha256: string, contentType: string, bytes: ArrayBuffer): Promise<void> {
    await this.send<unknown>('PUT', `/api/field/attachments/${encodeURIComponent(sha256)}`, {
      contentType,
      data: bytes,
    });
  }

  async getReceipt(id: Uuid): Promise<VisitReceipt | null> {
    try {
      return await this.send<VisitReceipt>('GET', `/api/field/visits/${encodeURIComponent(id)}/receipt`);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        return null;
      }
      throw error;
    }
  }

  private async send<T>(method: Method, path: string, body?: { contentType: string; data: BodyInit }): Promise<T> {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'Accept-Language': this.acceptLanguage(),
    };
    if (body !== undefined) {
      headers['Content-Type'] = body.contentType;
    }
    if (method !== 'GET' && this.csrfToken !== null) {
      headers[CSRF_HEADER] = this.csrfToken;
    }
    const init: RequestInit = { method, headers, credentials: 'same-origin', cache: 'no-store' };
    if (body !== undefined) {
      init.body = body.data;
    }

    let response: Response;
    try {
      response = await this.fetchImpl(this.baseUrl + path, init);
    } catch (cause) {
      const detail = cause instanceof Error ? cause.message : String(cause);
      throw new ApiError(0, { code: NETWORK_ERROR, message: `Request ${method} ${path} failed: ${detail}`, field: null });
    }
    let text: string;
    try {
      text = await response.text();
    } catch (cause) {
      // The connection dropped while the body was arriving: the request may
      // have been applied, so callers treat this like any network failure.
      const detail = cause instanceof Error ? cause.message : String(cause);
      throw new ApiError(0, { code: NETWORK_ERROR, message: `Response to ${method} ${path} was cut: ${detail}`, field: null });
    }
    if (!response.ok) {
      throw new ApiError(response.status, parseErrorBody(response.status, text));
    }
    if (text === '') {
      return undefined as T;
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError(response.status, {
        code: UNEXPECTED_RESPONSE,
        message: `Response to ${method} ${path} is not valid JSON`,
        field: null,
      });
    }
  }
}

function json(value: unknown): { contentType: string; data: string } {
  return { contentType: 'application/json', data: JSON.stringify(value) };
}
