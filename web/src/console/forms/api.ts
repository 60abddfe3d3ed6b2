// Calls of the forms API (/api/forms) used by the console's forms page.

import type { ApiClient } from '../../shared/api';
import type { FormVersion, LangText } from '../../shared/forms/model';

export interface FormSummary {
  form_id: string;
  title: LangText;
  version_count: number;
  latest_version_id: string | null;
  latest_version: string | null;
  updated_at: number;
}

export interface FormVersionMeta {
  id: string;
  form_id: string;
  version: string;
  content_hash: string;
  source: string;
  published_by: string | null;
  published_at: number;
}

export interface FormProblem {
  code: string;
  sheet: string;
  row: number | null;
  column: string | null;
  message: string;
}

export interface FormUploadReport {
  dry_run: boolean;
  status: 'problems' | 'valid' | 'published' | 'unchanged';
  problems: FormProblem[];
  form_id: string | null;
  version: string | null;
  question_count: number;
  published: FormVersionMeta | null;
}

export interface TemplateInfo {
  name: string;
  title: LangText;
  version: string;
}

export const formsApi = {
  list: (api: ApiClient) => api.request<{ forms: FormSummary[] }>('GET', '/api/forms'),
  versions: (api: ApiClient, formId: string) =>
    api.request<{ versions: FormVersionMeta[] }>('GET', `/api/forms/${encodeURIComponent(formId)}/versions`),
  version: (api: ApiClient, id: string) => api.request<FormVersion>('GET', `/api/forms/versions/${id}`),
  xlsxUrl: (id: string) => `/api/forms/versions/${id}/xlsx`,
  templates: (api: ApiClient) => api.request<{ templates: TemplateInfo[] }>('GET', '/api/forms/templates'),
  install: (api: ApiClient, name: string) => api.request<FormVersionMeta>('POST', `/api/forms/templates/${name}`),
  upload: (api: ApiClient, file: File, dryRun: boolean) => {
    const body = new FormData();
    body.append('file', file);
    body.append('dry_run', dryRun ? 'true' : 'false');
    return api.request<FormUploadReport>('POST', '/api/forms', body);
  },
};
