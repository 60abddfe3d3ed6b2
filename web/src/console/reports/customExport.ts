// Download of an unsaved report definition as CSV or as an Excel workbook, through
// `POST /api/reports/query/export`.

import type { ApiClient, DownloadedFile } from '../../shared/api';
import type { ReportDefinition } from './customApi';

export type ExportFormat = 'csv' | 'xlsx';

const ACCEPT: Record<ExportFormat, string> = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/**
 * Sends `definition` to the export endpoint and returns the file the server built.
 * Throws `ApiError` with the server's `{code, message, field}` when the server rejects
 * the definition, and with code `network_error` when it cannot be reached.
 */
export function exportDefinition(
  api: ApiClient,
  definition: ReportDefinition,
  format: ExportFormat,
): Promise<DownloadedFile> {
  return api.download('POST', `/api/reports/query/export?format=${format}`, {
    body: definition,
    accept: ACCEPT[format],
    fallbackName: `reporte.${format}`,
  });
}

/** Hands a downloaded file to the browser, which saves it under its name. */
export function saveFile(file: DownloadedFile): void {
  const url = URL.createObjectURL(file.blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = file.name;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoking at once can cancel the download in some browsers, so the address lives a while.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
