// Heatmap of one measure by weekday (rows) and local hour (columns), drawn by
// ECharts. The table beside it carries the same numbers for screen readers
// and keyboards, so the chart itself is an image with a summary label.

import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../../shared/ui/i18n-context';

export interface ChartData {
  points: [number, number, number][];
  max: number;
  isRate: boolean;
  weekdayLabels: string[];
  measureLabel: string;
  summary: string;
}

export function ContactHoursChart(props: { data: ChartData }) {
  const { t } = useI18n();
  const element = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);
  const { data } = props;

  useEffect(() => {
    let cancelled = false;
    let dispose = () => {};
    import('./echarts-setup').then(
      ({ echarts }) => {
        if (cancelled || element.current === null) return;
        const chart = echarts.init(element.current, undefined, { renderer: 'svg' });
        const format = (value: number) => (data.isRate ? `${Math.round(value * 100)} %` : String(value));
        chart.setOption({
          animation: false,
          grid: { left: 48, right: 16, top: 8, bottom: 72 },
          tooltip: {
            formatter: (params: { value: [number, number, number] }) => {
              const [hour, day, value] = params.value;
              return `${data.weekdayLabels[day]} ${String(hour).padStart(2, '0')}:00 · ${data.measureLabel}: ${format(value)}`;
            },
          },
          xAxis: { type: 'category', data: Array.from({ length: 24 }, (_, hour) => String(hour)), splitArea: { show: true } },
          yAxis: { type: 'category', data: data.weekdayLabels, inverse: true, splitArea: { show: true } },
          visualMap: {
            min: 0,
            max: data.max,
            calculable: true,
            orient: 'horizontal',
            left: 'center',
            bottom: 8,
            inRange: { color: ['#f3f6fb', '#7fb3d5', '#1f4e79'] },
            formatter: (value: number) => format(value),
          },
          series: [{ type: 'heatmap', data: data.points, label: { show: false } }],
        });
        const resize = () => chart.resize();
        window.addEventListener('resize', resize);
        dispose = () => {
          window.removeEventListener('resize', resize);
          chart.dispose();
        };
      },
      () => {
        if (!cancelled) setFailed(true);
      },
    );
    return () => {
      cancelled = true;
      dispose();
    };
  }, [data]);

  if (failed) {
    return <p class="reports__chart-failed">{t('reports.chartFailed')}</p>;
  }
  return <div ref={element} class="reports__chart" role="img" aria-label={data.summary} />;
}
