// Calls of the productivity and funnel reports, and the sorting of the
// productivity table.

import type { ApiClient } from '../../shared/api';
import { reportQuery, type ReportFilters } from './api';

export interface AgentProductivity {
  agent_id: string;
  agent_name: string;
  days: number;
  visits: number;
  visits_per_day: number;
  distance_km: number;
  /** `null` when no day had two visits. */
  minutes_between_visits: number | null;
  verified: number;
  verified_share: number;
  right_party: number;
  contact_rate: number;
  promises: number;
  promised_cents: number;
  promises_kept: number;
  promises_broken: number;
  promises_pending: number;
  kept_cents: number;
  kept_rate: number;
}

export interface ProductivityReport {
  from: string;
  to: string;
  agents: AgentProductivity[];
}

export type FunnelStageName = 'assigned' | 'visited' | 'contacted' | 'promised' | 'paid';

export interface FunnelStage {
  stage: FunnelStageName;
  accounts: number;
  rate_from_previous: number;
  rate_from_assigned: number;
}

export interface FunnelReport {
  from: string;
  to: string;
  stages: FunnelStage[];
  paid_any: number;
}

export const productivityApi = {
  productivity(api: ApiClient, filters: ReportFilters): Promise<ProductivityReport> {
    return api.request<ProductivityReport>('GET', `/api/reports/productivity${reportQuery(filters)}`);
  },
  funnel(api: ApiClient, filters: ReportFilters): Promise<FunnelReport> {
    // The funnel counts accounts, so it has no agent filter.
    return api.request<FunnelReport>('GET', `/api/reports/funnel${reportQuery({ ...filters, agentId: '' })}`);
  },
};

/** Columns of the productivity table that can be sorted. */
export const PRODUCTIVITY_COLUMNS = [
  'agent_name',
  'visits',
  'visits_per_day',
  'distance_km',
  'minutes_between_visits',
  'verified_share',
  'contact_rate',
  'promises',
  'promised_cents',
  'promises_kept',
] as const;

export type ProductivityColumn = (typeof PRODUCTIVITY_COLUMNS)[number];

export interface SortOrder {
  column: ProductivityColumn;
  descending: boolean;
}

/** Returns the agents sorted by one column; an empty value sorts last either way. */
export function sortAgents(agents: AgentProductivity[], order: SortOrder): AgentProductivity[] {
  const sign = order.descending ? -1 : 1;
  return [...agents].sort((left, right) => {
    const a = left[order.column];
    const b = right[order.column];
    if (a === null || b === null) {
      if (a === b) return 0;
      return a === null ? 1 : -1;
    }
    if (typeof a === 'string' && typeof b === 'string') {
      return sign * a.localeCompare(b, 'es-MX');
    }
    return sign * (Number(a) - Number(b));
  });
}

/** Formats integer cents as Mexican pesos. */
export function pesos(cents: number): string {
  return (cents / 100).toLocaleString('es-MX', { style: 'currency', currency: 'MXN' });
}
