// Built-in reports shown as tabs of the reports page. They run on the same engine as
// custom reports, over the last 30 days.

import type { ReportDefinition } from './customApi';

export interface Preset {
  id: string;
  /** Message key of the tab's title. */
  title: 'reports.preset.resultCodes' | 'reports.preset.lenders' | 'reports.preset.exceptions';
  definition: ReportDefinition;
}

const LAST_30_DAYS = { last_days: 30 };

export const PRESETS: Preset[] = [
  {
    id: 'result-codes',
    title: 'reports.preset.resultCodes',
    definition: {
      dimensions: ['result_code'],
      measures: ['attempts', 'promises', 'amount_promised'],
      filters: {},
      period: LAST_30_DAYS,
      chart: 'bars',
    },
  },
  {
    id: 'lenders',
    title: 'reports.preset.lenders',
    definition: {
      dimensions: ['lender', 'portfolio'],
      measures: ['attempts', 'contact_rate', 'success_rate', 'promises', 'amount_promised'],
      filters: {},
      period: LAST_30_DAYS,
      chart: 'bars',
    },
  },
  {
    id: 'exceptions',
    title: 'reports.preset.exceptions',
    definition: {
      dimensions: ['agent', 'reason_class'],
      measures: ['attempts'],
      filters: { verdict: ['doubtful', 'rejected'] },
      period: LAST_30_DAYS,
      chart: 'bars',
    },
  },
];
