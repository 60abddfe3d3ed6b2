// Calls of the custom reports API: ad-hoc queries, saved reports, shared links and
// downloads. Definitions have the shape that the server's ReportDefinition checks.

import type { ApiClient } from '../../shared/api';

export const DIMENSIONS = [
  'date',
  'hour',
  'weekday',
  'agent',
  'lender',
  'portfolio',
  'zone',
  'result_code',
  'verdict',
  'reason_class',
  'channel',
] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export const CUSTOM_MEASURES = ['attempts', 'contact_rate', 'success_rate', 'promises', 'amount_promised'] as const;
export type CustomMeasure = (typeof CUSTOM_MEASURES)[number];

export const CHARTS = ['table', 'bars', 'lines', 'heatmap'] as const;
export type ChartType = (typeof CHARTS)[number];

/** The server groups by at most this many dimensions. */
export const MAX_DIMENSIONS = 3;

export interface Period {
  from?: string;
  to?: string;
  last_days?: number;
}

export interface ReportDefinition {
  dimensions: Dimension[];
  measures: CustomMeasure[];
  filters: Partial<Record<Dimension, (string | number)[]>>;
  period: Period;
  chart?: ChartType;
}

export interface ResultRow {
  keys: string[];
  labels: string[];
  values: Partial<Record<CustomMeasure, number>>;
}

export interface ReportResult {
  from: string;
  to: string;
  dimensions: Dimension[];
  measures: CustomMeasure[];
  rows: ResultRow[];
  totals: Partial<Record<CustomMeasure, number>>;
  truncated: boolean;
}

export interface SavedReport {
  id: string;
  name: string;
  definition: ReportDefinition;
  created_at: string;
  updated_at: string;
}

export interface ReportShare {
  id: string;
  report_id: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  active: boolean;
}

export interface CreatedShare extends ReportShare {
  token: string;
  url_path: string;
}

export const customReportsApi = {
  query(api: ApiClient, definition: ReportDefinition): Promise<ReportResult> {
    return api.request<ReportResult>('POST', '/api/reports/query', definition);
  },
  listSaved(api: ApiClient): Promise<SavedReport[]> {
    return api.request<SavedReport[]>('GET', '/api/reports/saved');
  },
  save(api: ApiClient, name: string, definition: ReportDefinition, id?: string): Promise<SavedReport> {
    const body = { name, definition };
    return id === undefined
      ? api.request<SavedReport>('POST', '/api/reports/saved', body)
      : api.request<SavedReport>('PUT', `/api/reports/saved/${id}`, body);
  },
  remove(api: ApiClient, id: string): Promise<void> {
    return api.request<void>('DELETE', `/api/reports/saved/${id}`);
  },
  listShares(api: ApiClient, id: string): Promise<ReportShare[]> {
    return api.request<ReportShare[]>('GET', `/api/reports/saved/${id}/shares`);
  },
  share(api: ApiClient, id: string, expiresInDays: number): Promise<CreatedShare> {
    return api.request<CreatedShare>('POST', `/api/reports/saved/${id}/shares`, { expires_in_days: expiresInDays });
  },
  revoke(api: ApiClient, id: string, shareId: string): Promise<void> {
    return api.request<void>('DELETE', `/api/reports/saved/${id}/shares/${shareId}`);
  },
};

/** Returns the download address of a saved report as CSV or as an Excel workbook. */
export function savedExportUrl(id: string, format: 'csv' | 'xlsx'): string {
  return `/api/reports/saved/${id}/export?format=${format}`;
}

/** Returns whether a measure is a fraction from 0 to 1. */
export function isRate(measure: CustomMeasure): boolean {
  return measure === 'contact_rate' || measure === 'success_rate';
}

/** Formats a measure's value for tables: rates as whole percents, amounts with two decimals. */
export function formatMeasure(measure: CustomMeasure, value: number | undefined): string {
  const number = value ?? 0;
  if (isRate(measure)) return `${Math.round(number * 100)} %`;
  if (measure === 'amount_promised') return number.toLocaleString('es-MX', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return String(number);
}
