// Turns a custom report's result into ECharts options for bars, lines or a heatmap.
// Kept apart from the component so the mapping is tested without a browser.

import { type ChartType, type CustomMeasure, type ReportResult, isRate } from './customApi';

/** Joins a row's labels into one category name. */
export function rowLabel(labels: string[]): string {
  return labels.join(' · ');
}

/** Kind of value axis a measure is drawn against: counts, pesos or fractions from 0 to 1. */
export type AxisKind = 'count' | 'amount' | 'rate';

export function axisKind(measure: CustomMeasure): AxisKind {
  if (isRate(measure)) return 'rate';
  if (measure === 'amount_promised') return 'amount';
  return 'count';
}

/** Maximum width, in pixels, of a category's name under the plot. */
const CATEGORY_LABEL_WIDTH = 160;

/** Horizontal room, in pixels, that one value axis with its labels takes beside the plot. */
const AXIS_WIDTH = 72;

function pesosTick(value: number): string {
  return value.toLocaleString('es-MX', { style: 'currency', currency: 'MXN', maximumFractionDigits: 0 });
}

function percentTick(value: number): string {
  return `${Math.round(value * 100)} %`;
}

/**
 * Builds one value axis per kind of measure in the chart, so counts, pesos and rates each
 * get their own scale and small counts do not flatten next to large amounts. The first
 * axis sits on the left and the others on the right, side by side.
 */
function valueAxes(kinds: AxisKind[], pesosAxisName: string): Record<string, unknown>[] {
  return kinds.map((kind, index) => {
    const placement = index === 0 ? { position: 'left' } : { position: 'right', offset: (index - 1) * AXIS_WIDTH };
    // Only the first axis draws grid lines, because lines from two scales would not align.
    const grid = index === 0 ? {} : { splitLine: { show: false } };
    if (kind === 'amount') {
      // Ticks are whole pesos, so a small range does not repeat "$1" for 0.2 to 1.
      return { type: 'value', name: pesosAxisName, minInterval: 1, ...placement, ...grid, axisLabel: { formatter: pesosTick } };
    }
    if (kind === 'rate') {
      return { type: 'value', min: 0, max: 1, ...placement, ...grid, axisLabel: { formatter: percentTick } };
    }
    return { type: 'value', minInterval: 1, ...placement, ...grid };
  });
}

/**
 * Returns the ECharts options for `chart`, or null when the result cannot be drawn
 * that way: a table, no rows, or a heatmap without two dimensions. `pesosAxisName`
 * names the axis of amounts in pesos.
 */
export function chartOptions(
  chart: ChartType,
  result: ReportResult,
  measureLabel: (measure: CustomMeasure) => string,
  pesosAxisName: string,
): Record<string, unknown> | null {
  if (chart === 'table' || result.rows.length === 0) return null;
  if (chart === 'heatmap') return heatmapOptions(result, measureLabel);

  const order: AxisKind[] = ['count', 'amount', 'rate'];
  const present = new Set(result.measures.map(axisKind));
  const kinds = order.filter((kind) => present.has(kind));
  const categories = result.rows.map((row) => rowLabel(row.labels));
  const series = result.measures.map((measure) => ({
    name: measureLabel(measure),
    type: chart === 'bars' ? 'bar' : 'line',
    yAxisIndex: kinds.indexOf(axisKind(measure)),
    data: result.rows.map((row) => row.values[measure] ?? 0),
  }));
  const rightAxes = Math.max(kinds.length - 1, 1);
  return {
    animation: false,
    legend: { top: 0 },
    tooltip: { trigger: 'axis' },
    grid: { left: AXIS_WIDTH, right: rightAxes * AXIS_WIDTH, top: 48, bottom: 96 },
    // ECharts 6 shrinks the plot until every label fits, so long lender and portfolio
    // names are cut short here. The tooltip still shows them whole.
    xAxis: { type: 'category', data: categories, axisLabel: { rotate: 30, width: CATEGORY_LABEL_WIDTH, overflow: 'truncate' } },
    yAxis: valueAxes(kinds, pesosAxisName),
    series,
  };
}

function heatmapOptions(
  result: ReportResult,
  measureLabel: (measure: CustomMeasure) => string,
): Record<string, unknown> | null {
  if (result.dimensions.length < 2) return null;
  const measure = result.measures[0];
  if (measure === undefined) return null;
  const columns = [...new Set(result.rows.map((row) => row.labels[0] ?? ''))];
  const lines = [...new Set(result.rows.map((row) => row.labels[1] ?? ''))];
  const points = result.rows.map((row) => [
    columns.indexOf(row.labels[0] ?? ''),
    lines.indexOf(row.labels[1] ?? ''),
    row.values[measure] ?? 0,
  ]);
  const max = Math.max(...points.map((point) => point[2] ?? 0), isRate(measure) ? 1 : 0);
  return {
    animation: false,
    tooltip: {},
    grid: { left: 120, right: 16, top: 8, bottom: 96 },
    xAxis: { type: 'category', data: columns, splitArea: { show: true } },
    yAxis: { type: 'category', data: lines, splitArea: { show: true } },
    visualMap: { min: 0, max, calculable: true, orient: 'horizontal', left: 'center', bottom: 8, text: [measureLabel(measure), ''] },
    series: [{ name: measureLabel(measure), type: 'heatmap', data: points }],
  };
}
