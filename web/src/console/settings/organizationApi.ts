// Calls of the organization settings API (/api/organization) and the API token
// API (/api/tokens).

import type { ApiClient } from '../../shared/api';
import type { ContactRule } from '../../shared/rules/contact';

export interface OrganizationSettings {
  id: string;
  name: string;
  display_name: string | null;
  default_time_zone: string | null;
  time_zones: string[];
  contact_rule: ContactRule;
  track_outside_shifts: boolean;
  /** Unix milliseconds, null while never saved. */
  updated_at: number | null;
}

export interface OrganizationUpdate {
  display_name: string | null;
  default_time_zone: string | null;
  contact_rule: Omit<ContactRule, 'jurisdiction'>;
  track_outside_shifts: boolean;
}

export type TokenRole = 'admin' | 'supervisor' | 'agent' | 'viewer';
export const TOKEN_ROLES: readonly TokenRole[] = ['viewer', 'supervisor', 'agent', 'admin'];

export interface ApiToken {
  id: string;
  name: string;
  role: TokenRole;
  created_by: string | null;
  /** RFC 3339. */
  created_at: string;
  revoked_at: string | null;
}

export const organizationApi = {
  get(api: ApiClient): Promise<OrganizationSettings> {
    return api.request<OrganizationSettings>('GET', '/api/organization');
  },
  save(api: ApiClient, update: OrganizationUpdate): Promise<OrganizationSettings> {
    return api.request<OrganizationSettings>('PUT', '/api/organization', update);
  },
};

export const tokensApi = {
  async list(api: ApiClient): Promise<ApiToken[]> {
    const body = await api.request<{ tokens: ApiToken[] }>('GET', '/api/tokens');
    return body.tokens;
  },
  create(api: ApiClient, name: string, role: TokenRole): Promise<{ token: ApiToken; secret: string }> {
    return api.request('POST', '/api/tokens', { name, role });
  },
  revoke(api: ApiClient, id: string): Promise<ApiToken> {
    return api.request<ApiToken>('DELETE', `/api/tokens/${encodeURIComponent(id)}`);
  },
};
