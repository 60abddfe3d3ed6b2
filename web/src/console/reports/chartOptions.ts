// Turns a custom report's result into ECharts options for bars, lines or a heatmap.
// Kept apart from the component so the mapping is tested without a browser.

import { type ChartType, type CustomMeasure, type ReportResult, isRate } from './customApi';

/** Joins a row's labels into one category name. */
export function rowLabel(labels: string[]): string {
  return labels.join(' · ');
}

/**
 * Returns the ECharts options for `chart`, or null when the result cannot be drawn
 * that way: a table, no rows, or a heatmap without two dimensions.
 */
export function chartOptions(
  chart: ChartType,
  result: ReportResult,
  measureLabel: (measure: CustomMeasure) => string,
): Record<string, unknown> | null {
  if (chart === 'table' || result.rows.length === 0) return null;
  if (chart === 'heatmap') return heatmapOptions(result, measureLabel);
  const categories = result.rows.map((row) => rowLabel(row.labels));
  const series = result.measures.map((measure) => ({
    name: measureLabel(measure),
    type: chart === 'bars' ? 'bar' : 'line',
    yAxisIndex: isRate(measure) ? 1 : 0,
    data: result.rows.map((row) => row.values[measure] ?? 0),
  }));
  return {
    animation: false,
    legend: { top: 0 },
    tooltip: { trigger: 'axis' },
    grid: { left: 56, right: 56, top: 40, bottom: 96 },
    xAxis: { type: 'category', data: categories, axisLabel: { rotate: 30 } },
    yAxis: [
      { type: 'value' },
      { type: 'value', min: 0, max: 1, axisLabel: { formatter: (value: number) => `${Math.round(value * 100)} %` } },
    ],
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
