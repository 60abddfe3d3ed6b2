// Calls of the reports API (/api/reports) used by the console's reports page.

import type { ApiClient } from '../../shared/api';

export interface HourCell {
  /** ISO weekday: 1 is Monday, 7 is Sunday. */
  weekday: number;
  /** Hour 0 to 23 in the visited address's time zone. */
  hour: number;
  attempts: number;
  right_party: number;
  successes: number;
  contact_rate: number;
  success_rate: number;
  promises: number;
  promised_cents: number;
}

export interface ContactHoursReport {
  from: string;
  to: string;
  cells: HourCell[];
  attempts: number;
  right_party: number;
  successes: number;
}

export interface ReportFilters {
  from: string;
  to: string;
  lenderId: string;
  portfolioId: string;
  agentId: string;
  /** `visit`, `phone`, `email`, `sms` or `whatsapp`; empty or absent for every channel. */
  channel?: string;
  /** `state|municipality` of the addresses; empty or absent for every zone. */
  zone?: string;
}

/** A zone of the organization's addresses, as the reports' zone filter takes it. */
export interface ReportZone {
  state: string;
  municipality: string;
  /** `state|municipality`. */
  zone: string;
}

/** Builds the query string, leaving out empty filters so the server applies its defaults. */
export function reportQuery(filters: ReportFilters): string {
  const params = new URLSearchParams();
  const pairs: [string, string][] = [
    ['from', filters.from],
    ['to', filters.to],
    ['lender_id', filters.lenderId],
    ['portfolio_id', filters.portfolioId],
    ['agent_id', filters.agentId],
    ['channel', filters.channel ?? ''],
    ['zone', filters.zone ?? ''],
  ];
  for (const [name, value] of pairs) {
    if (value.trim() !== '') params.set(name, value.trim());
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** Returns the download address of the report as CSV or as an Excel workbook. */
export function exportUrl(filters: ReportFilters, format: 'csv' | 'xlsx'): string {
  const query = reportQuery(filters);
  return `/api/reports/contact-hours/export${query === '' ? '?' : `${query}&`}format=${format}`;
}

export const reportsApi = {
  contactHours(api: ApiClient, filters: ReportFilters): Promise<ContactHoursReport> {
    return api.request<ContactHoursReport>('GET', `/api/reports/contact-hours${reportQuery(filters)}`);
  },
  async zones(api: ApiClient): Promise<ReportZone[]> {
    const body = await api.request<{ zones: ReportZone[] }>('GET', '/api/reports/zones');
    return body.zones;
  },
};
