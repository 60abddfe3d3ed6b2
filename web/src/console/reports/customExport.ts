// Download of an unsaved report definition as CSV or as an Excel workbook, through
// `POST /api/reports/query/export`. The JSON client reads every body as text, which would
// corrupt a workbook, so this module sends the request itself and keeps the body binary.

import { type ApiClient, ApiError, CSRF_HEADER, NETWORK_ERROR, parseErrorBody } from '../../shared/api';
import type { ReportDefinition } from './customApi';

export type ExportFormat = 'csv' | 'xlsx';

export interface ExportedFile {
  name: string;
  blob: Blob;
}

/**
 * Returns the file name of a `Content-Disposition` header such as
 * `attachment; filename="reporte-2026-11-01-2026-11-30.csv"`, or `fallback` when the
 * header is missing or names no usable file.
 */
export function fileNameFrom(disposition: string | null, fallback: string): string {
  const match = disposition?.match(/filename="([^"]+)"|filename=([^;\s]+)/i);
  const name = match?.[1] ?? match?.[2] ?? '';
  // A name with a path separator could point outside the downloads folder.
  if (name === '' || /[/\\]/.test(name)) return fallback;
  return name;
}

/**
 * Sends `definition` to the export endpoint and returns the file the server built.
 * The session's CSRF token comes from `GET /api/session`, because the JSON client keeps
 * its copy private. Throws `ApiError` with the server's `{code, message, field}` when the
 * server rejects the definition, and with code `network_error` when it cannot be reached.
 */
export async function exportDefinition(
  api: ApiClient,
  definition: ReportDefinition,
  format: ExportFormat,
  languageTag: string,
  fetchImpl: typeof fetch = (input, init) => fetch(input, init),
): Promise<ExportedFile> {
  const session = await api.session();
  const path = `/api/reports/query/export?format=${format}`;
  const init: RequestInit = {
    method: 'POST',
    credentials: 'same-origin',
    headers: {
      Accept: format === 'csv' ? 'text/csv' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Accept-Language': languageTag,
      'Content-Type': 'application/json',
      [CSRF_HEADER]: session.csrf_token,
    },
    body: JSON.stringify(definition),
  };

  let response: Response;
  try {
    response = await fetchImpl(path, init);
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new ApiError(0, { code: NETWORK_ERROR, message: `Request POST ${path} failed: ${detail}`, field: null });
  }
  if (!response.ok) {
    throw new ApiError(response.status, parseErrorBody(response.status, await response.text()));
  }
  const name = fileNameFrom(response.headers.get('Content-Disposition'), `reporte.${format}`);
  return { name, blob: await response.blob() };
}

/** Hands a downloaded file to the browser, which saves it under its name. */
export function saveFile(file: ExportedFile): void {
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
