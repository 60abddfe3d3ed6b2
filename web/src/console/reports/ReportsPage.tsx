// Console reports page: a tab list of reports. Each entry of REPORT_TABS is one tab,
// so a new view needs one more entry and no change to the tab markup.

import type { ComponentType } from 'preact';
import { useState } from 'preact/hooks';
import type { ApiClient } from '../../shared/api';
import type { MessageKey } from '../../shared/i18n';
import { useI18n } from '../../shared/ui/i18n-context';
import { ContactHoursView } from './ContactHoursView';
import { FunnelReport } from './FunnelReport';
import { PRESETS } from './presets';
import { PresetView } from './PresetView';
import { ProductivityReport } from './ProductivityReport';
import { ReportBuilder } from './ReportBuilder';
import './reports.css';

export interface ReportTab {
  id: string;
  /** Message key of the tab's label. */
  label: MessageKey;
  view: ComponentType<{ api: ApiClient }>;
}

export const REPORT_TABS: ReportTab[] = [
  { id: 'contact-hours', label: 'reports.tab.contactHours', view: ContactHoursView },
  { id: 'builder', label: 'reports.tab.builder', view: ReportBuilder },
  { id: 'productivity', label: 'productivity.title', view: ProductivityReport },
  { id: 'funnel', label: 'funnel.title', view: FunnelReport },
  ...PRESETS.map((preset) => ({
    id: preset.id,
    label: preset.title,
    view: (props: { api: ApiClient }) => <PresetView api={props.api} preset={preset} />,
  })),
];

export function ReportsPage(props: { api: ApiClient; tabs?: ReportTab[] }) {
  const { api } = props;
  const tabs = props.tabs ?? REPORT_TABS;
  const { t } = useI18n();
  const [selected, setSelected] = useState(tabs[0]?.id ?? '');
  const current = tabs.find((tab) => tab.id === selected) ?? tabs[0];

  const onKeyDown = (event: KeyboardEvent, index: number) => {
    let step = 0;
    if (event.key === 'ArrowRight') step = 1;
    if (event.key === 'ArrowLeft') step = -1;
    if (step === 0) return;
    event.preventDefault();
    const next = tabs[(index + step + tabs.length) % tabs.length];
    if (next === undefined) return;
    setSelected(next.id);
    document.getElementById(`reports-tab-${next.id}`)?.focus();
  };

  return (
    <div class="reports-page">
      <div role="tablist" aria-label={t('reports.tabs')} class="reports__tabs">
        {tabs.map((tab, index) => (
          <button
            type="button"
            role="tab"
            key={tab.id}
            id={`reports-tab-${tab.id}`}
            aria-selected={tab.id === current?.id}
            aria-controls="reports-panel"
            tabIndex={tab.id === current?.id ? 0 : -1}
            onClick={() => setSelected(tab.id)}
            onKeyDown={(event) => onKeyDown(event, index)}
          >
            {t(tab.label)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="reports-panel" aria-labelledby={current === undefined ? undefined : `reports-tab-${current.id}`}>
        {current !== undefined && <current.view key={current.id} api={api} />}
      </div>
    </div>
  );
}
