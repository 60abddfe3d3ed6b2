// A built-in report: a fixed definition run on the custom report engine, with the
// period adjustable in days.

import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../../shared/api';
import { describeError } from '../../shared/errors';
import { useI18n } from '../../shared/ui/i18n-context';
import { type ReportResult, customReportsApi } from './customApi';
import type { Preset } from './presets';
import { ReportResultView } from './ReportResultView';

export function PresetView(props: { api: ApiClient; preset: Preset }) {
  const { api, preset } = props;
  const { t } = useI18n();
  const [days, setDays] = useState(preset.definition.period.last_days ?? 30);
  const [result, setResult] = useState<ReportResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setError(null);
    const definition = { ...preset.definition, period: { last_days: days } };
    customReportsApi.query(api, definition).then(setResult, (failure: unknown) => {
      setResult(null);
      setError(describeError(failure, t));
    });
  }, [api, preset, days]);

  const title = t(preset.title);
  return (
    <section class="reports" aria-labelledby={`reports-preset-${preset.id}`}>
      <h2 id={`reports-preset-${preset.id}`}>{title}</h2>
      <form class="reports__filters" onSubmit={(event) => event.preventDefault()}>
        <label>
          {t('reports.custom.days')}
          <input type="number" min={1} max={366} value={days} onChange={(event) => setDays(Number(event.currentTarget.value))} />
        </label>
      </form>
      {error !== null && (
        <p class="reports__error" role="alert">
          {error}
        </p>
      )}
      {result !== null && (
        <ReportResultView
          result={result}
          chart={preset.definition.chart ?? 'table'}
          caption={t('reports.custom.caption', { from: result.from, to: result.to })}
        />
      )}
    </section>
  );
}
