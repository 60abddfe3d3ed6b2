import { describe, expect, it } from 'vitest';
import { chartOptions } from './chartOptions';
import type { CustomMeasure, ReportResult } from './customApi';

interface Axis {
  type: string;
  name?: string;
  position: string;
  offset?: number;
  min?: number;
  max?: number;
  axisLabel?: { formatter: (value: number) => string };
}

interface Series {
  name: string;
  type: string;
  yAxisIndex: number;
  data: number[];
}

function result(measures: CustomMeasure[]): ReportResult {
  return {
    from: '2026-11-01',
    to: '2026-11-30',
    dimensions: ['lender'],
    measures,
    rows: [
      { keys: ['a'], labels: ['Financiera del Valle'], values: { attempts: 4, promises: 2, amount_promised: 45000, contact_rate: 0.5 } },
      { keys: ['b'], labels: ['Crédito Popular Azteca'], values: { attempts: 7, promises: 1, amount_promised: 1200.5, contact_rate: 0.25 } },
    ],
    totals: {},
    truncated: false,
  };
}

function draw(measures: CustomMeasure[], chart: 'bars' | 'lines' = 'bars') {
  const options = chartOptions(chart, result(measures), (measure) => `label:${measure}`, 'Pesos (MXN)');
  if (options === null) throw new Error('expected chart options');
  return { axes: options.yAxis as Axis[], series: options.series as Series[], grid: options.grid as { right: number } };
}

function seriesOf(series: Series[], measure: CustomMeasure): Series {
  const found = series.find((entry) => entry.name === `label:${measure}`);
  if (found === undefined) throw new Error(`no series for ${measure}`);
  return found;
}

describe('chartOptions value axes', () => {
  it('puts amounts on their own axis beside counts', () => {
    const { axes, series } = draw(['attempts', 'amount_promised']);
    expect(axes).toHaveLength(2);
    expect(axes[0]?.position).toBe('left');
    expect(axes[0]?.name).toBeUndefined();
    expect(axes[1]?.position).toBe('right');
    expect(axes[1]?.name).toBe('Pesos (MXN)');
    expect(seriesOf(series, 'attempts').yAxisIndex).toBe(0);
    expect(seriesOf(series, 'amount_promised').yAxisIndex).toBe(1);
    expect(seriesOf(series, 'amount_promised').data).toEqual([45000, 1200.5]);
  });

  it('labels amount ticks in pesos', () => {
    const { axes } = draw(['promises', 'amount_promised'], 'lines');
    const formatter = axes[1]?.axisLabel?.formatter;
    expect(formatter?.(45000).replace(/\s/g, ' ')).toBe('$45,000');
    expect((axes[1] as { minInterval?: number }).minInterval).toBe(1);
  });

  it('gives counts, amounts and rates three axes', () => {
    const { axes, series, grid } = draw(['attempts', 'contact_rate', 'promises', 'amount_promised']);
    expect(axes.map((axis) => axis.position)).toEqual(['left', 'right', 'right']);
    expect(axes[2]?.offset).toBeGreaterThan(axes[1]?.offset ?? 0);
    expect([axes[2]?.min, axes[2]?.max]).toEqual([0, 1]);
    expect(axes[2]?.axisLabel?.formatter(0.25)).toBe('25 %');
    expect(seriesOf(series, 'attempts').yAxisIndex).toBe(0);
    expect(seriesOf(series, 'promises').yAxisIndex).toBe(0);
    expect(seriesOf(series, 'amount_promised').yAxisIndex).toBe(1);
    expect(seriesOf(series, 'contact_rate').yAxisIndex).toBe(2);
    expect(grid.right).toBeGreaterThanOrEqual(2 * 72);
  });

  it('cuts long category names short', () => {
    const options = chartOptions('bars', result(['attempts']), (measure) => measure, 'Pesos (MXN)');
    const xAxis = options?.xAxis as { data: string[]; axisLabel: { width: number; overflow: string } };
    expect(xAxis.data[1]).toBe('Crédito Popular Azteca');
    expect(xAxis.axisLabel.overflow).toBe('truncate');
    expect(xAxis.axisLabel.width).toBeLessThanOrEqual(200);
  });

  it('draws counts alone on one axis', () => {
    const { axes, series } = draw(['attempts', 'promises']);
    expect(axes).toHaveLength(1);
    expect(series.map((entry) => entry.yAxisIndex)).toEqual([0, 0]);
  });

  it('puts amounts alone on the left axis', () => {
    const { axes, series } = draw(['amount_promised']);
    expect(axes).toHaveLength(1);
    expect(axes[0]?.position).toBe('left');
    expect(axes[0]?.name).toBe('Pesos (MXN)');
    expect(series[0]?.yAxisIndex).toBe(0);
  });

  it('points every series at an existing axis', () => {
    const { axes, series } = draw(['amount_promised', 'success_rate', 'attempts']);
    for (const entry of series) {
      expect(axes[entry.yAxisIndex], entry.name).toBeDefined();
    }
  });
});
