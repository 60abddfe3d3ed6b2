// Today's numbers and visit points for the "Hoy" page.

import type { ApiClient } from '../../shared/api';

export interface DaySummary {
  planned: number;
  done: number;
  verified: number;
  doubtful: number;
  rejected: number;
  promises: number;
  promised_cents: number;
}

export interface DayVisit {
  visit_id: string;
  agent_id: string;
  agent_name: string;
  lender_account_id: string;
  latitude: number;
  longitude: number;
  verdict: 'verified' | 'doubtful' | 'rejected';
  finished_at: number;
}

export interface TodayView {
  day: string;
  since: number;
  summary: DaySummary;
  visits: DayVisit[];
  visits_truncated: boolean;
}

export function loadToday(api: ApiClient): Promise<TodayView> {
  return api.request<TodayView>('GET', '/api/today');
}
