// Shapes of the JSON bodies exchanged with the Ronda server under /api.

export type Role = 'admin' | 'supervisor' | 'agent' | 'viewer';

export const ROLES: readonly Role[] = ['admin', 'supervisor', 'agent', 'viewer'];

/** Server-assigned identifier. The client only echoes it back in URLs, so either JSON type is accepted. */
export type EntityId = string | number;

export interface User {
  id: EntityId;
  email: string;
  name: string;
  role: Role;
  active: boolean;
}

export interface Organization {
  id: EntityId;
  name: string;
}

/** Body of `POST /api/auth/login` and `GET /api/session`. */
export interface Session {
  user: User;
  organization: Organization;
  csrf_token: string;
}

export interface UserList {
  users: User[];
}

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  password: string;
}

/** Error body that the server sends with every non-2xx response. */
export interface ApiErrorBody {
  code: string;
  message: string;
  field: string | null;
}

/** A company whose portfolios the organization works, such as a bank or a SOFOM. */
export interface Lender {
  id: EntityId;
  name: string;
  /** Registration in CONDUSEF's REDECO registry, shown to debtors at first contact. */
  redeco_registration: string | null;
  /** Contact of the lender's complaint unit (UNE), given to debtors. */
  complaint_unit_contact: string | null;
  collection_phones: string[];
  payment_references: string[];
  created_at: string;
}

export interface LenderList {
  lenders: Lender[];
}

export interface NewLender {
  name: string;
  redeco_registration: string | null;
  complaint_unit_contact: string | null;
  collection_phones: string[];
  payment_references: string[];
}

/** A set of accounts that one lender hands over, usually for one period. */
export interface Portfolio {
  id: EntityId;
  lender_id: EntityId;
  lender_name: string;
  name: string;
  account_count: number;
  created_at: string;
}

export interface PortfolioList {
  portfolios: Portfolio[];
}

export interface NewPortfolio {
  lender_id: EntityId;
  name: string;
}

/** Account fields that a column of an imported file can fill. */
export type FieldId =
  | 'lender_account_id'
  | 'product'
  | 'principal'
  | 'overdue_amount'
  | 'days_past_due'
  | 'currency'
  | 'debtor_name'
  | 'phone'
  | 'email'
  | 'street'
  | 'exterior_number'
  | 'interior_number'
  | 'colonia'
  | 'postal_code'
  | 'locality'
  | 'municipality'
  | 'state'
  | 'between_streets'
  | 'landmarks'
  | 'latitude'
  | 'longitude'
  | 'address_text';

/** Fields without which the server rejects an import mapping. */
export const REQUIRED_IMPORT_FIELDS: readonly FieldId[] = ['lender_account_id', 'debtor_name'];

/**
 * Field assigned to each column of the file, in header order. `null` keeps
 * the column as a custom field of the account.
 */
export type ImportMapping = Array<FieldId | null>;

export interface ImportFormat {
  kind: 'csv' | 'xlsx';
  /** Text encoding the server detected, for CSV files. */
  encoding: string | null;
  /** Column separator the server detected, for CSV files. */
  delimiter: string | null;
  /** Worksheet that was read, for XLSX files. */
  sheet: string | null;
}

export interface ImportFieldOption {
  field: FieldId;
  label: string;
}

/** Body of `POST /api/imports/preview`: how the server read the file and its suggested mapping. */
export interface ImportPreview {
  file_name: string;
  format: ImportFormat;
  sheets: string[];
  headers: string[];
  /** Row of the header in the file, counted from 1. */
  header_row: number;
  /** Number of data rows. */
  rows: number;
  mapping: ImportMapping;
  fields: ImportFieldOption[];
  /** Up to five data rows, with every cell as text. */
  sample: string[][];
}

export interface ImportPreviewRequest {
  file: File;
  /** Worksheet to read from an XLSX file, or `null` to let the server choose. */
  sheet: string | null;
}

export interface ImportRequest extends ImportPreviewRequest {
  portfolioId: EntityId;
  mapping: ImportMapping;
  dryRun: boolean;
  /** Saves the mapping under this name for the portfolio's lender. */
  templateName: string | null;
}

/** An import running in the background on the server, polled for progress. */
export interface ImportJob {
  id: string;
  state: 'running' | 'finished' | 'failed';
  dry_run: boolean;
  file_name: string | null;
  /** Data rows read and checked so far. */
  rows_read: number;
  started_at: string;
  finished_at: string | null;
  report: ImportReport | null;
  error: { code: string; message: string; field: string | null } | null;
}

/** One cell that keeps its row out of the import. */
export interface ImportProblem {
  /** Row number in the file, counted from 1 as a spreadsheet shows it. */
  row: number;
  column: string;
  value: string;
  code: string;
  message: string;
  fix: string;
}

/**
 * Body of `POST /api/imports`. In a dry run nothing is written, and the counts
 * predict what a real import of the same file would do.
 */
export interface ImportReport {
  dry_run: boolean;
  rows_read: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  problems: ImportProblem[];
  /** True when the server sent only the first part of the problems. */
  problems_truncated: boolean;
}

/** One row of the accounts list. Amounts are in cents of `currency`. */
export interface AccountSummary {
  id: EntityId;
  lender_account_id: string;
  debtor_name: string;
  lender_name: string;
  portfolio_name: string;
  overdue_cents: number | null;
  days_past_due: number | null;
  currency: string;
  address_text: string | null;
  postal_code: string | null;
  municipality: string | null;
  state: string | null;
  /** IANA time zone of the address, which sets the allowed contact hours. */
  time_zone: string | null;
  /** True while the address has no point precise enough for a check-in. */
  needs_pin: boolean;
}

export interface AccountPage {
  accounts: AccountSummary[];
  total: number;
  page: number;
  per_page: number;
}

export interface AccountQuery {
  portfolioId: EntityId | null;
  /** Free text search, sent as `q`. */
  search: string;
  /** Page number, counted from 1. */
  page: number;
  perPage: number;
}
