// Calls of the result-code catalogue API (/api/result-codes).

import type { ApiClient } from '../../shared/api';

export type ResultClass = 'success' | 'reach' | 'fail' | 'data' | 'verification';
export const RESULT_CLASSES: readonly ResultClass[] = ['success', 'reach', 'fail', 'data', 'verification'];

export interface ResultCode {
  code: string;
  class: ResultClass;
  label_es: string;
  label_en: string;
  requires_es: string;
  active: boolean;
}

export const resultCodesApi = {
  async list(api: ApiClient): Promise<ResultCode[]> {
    const body = await api.request<{ result_codes: ResultCode[] }>('GET', '/api/result-codes');
    return body.result_codes;
  },
  save(api: ApiClient, code: ResultCode): Promise<ResultCode> {
    const { code: name, ...fields } = code;
    return api.request<ResultCode>('PUT', `/api/result-codes/${encodeURIComponent(name.trim())}`, fields);
  },
};
