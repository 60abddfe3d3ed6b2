// Calls of the notifications API (/api/notifications, /api/webhooks) used by
// the console's notifications page. Times arrive as RFC 3339 strings.

import type { ApiClient, Method } from '../../shared/api';

export type EventKind =
  | 'visit.completed'
  | 'promise.created'
  | 'checkin.rejected'
  | 'account.wrong_party'
  | 'daily.summary';
export const EVENT_KINDS: readonly EventKind[] = [
  'visit.completed',
  'promise.created',
  'checkin.rejected',
  'account.wrong_party',
  'daily.summary',
];

export type DeliveryState = 'pending' | 'sending' | 'sent' | 'failed';
export type SmtpSecurity = 'none' | 'starttls' | 'tls';

export interface NotificationRule {
  id: string;
  name: string;
  event_kinds: string[];
  lender_id: string | null;
  portfolio_id: string | null;
  agent_id: string | null;
  result_codes: string[];
  recipients: string[];
  language: string;
  active: boolean;
  created_at: string;
  updated_at: string;
}

export interface RuleRequest {
  name: string;
  event_kinds: string[];
  lender_id: string | null;
  portfolio_id: string | null;
  agent_id: string | null;
  result_codes: string[];
  recipients: string[];
  language: 'es' | 'en';
}

export interface EmailDelivery {
  id: string;
  event_id: string;
  event_kind: string;
  rule_id: string | null;
  recipient: string;
  language: string;
  state: DeliveryState;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  message_id: string;
  created_at: string;
  sent_at: string | null;
  cursor: number;
}

export interface SmtpView {
  source: 'organization' | 'installation' | 'none';
  host: string | null;
  port: number | null;
  security: SmtpSecurity | null;
  username: string | null;
  has_password: boolean;
  from_address: string | null;
  updated_at: string | null;
}

export interface SmtpRequest {
  host: string;
  port: number;
  security: SmtpSecurity;
  username: string | null;
  /** A new password; left out to keep the stored one. */
  password?: string;
  clear_password?: boolean;
  from_address: string;
}

export interface Webhook {
  id: string;
  name: string;
  url: string;
  kinds: string[];
  active: boolean;
  created_at: string;
  updated_at: string;
}

export interface WebhookRequest {
  name: string;
  url: string;
  kinds: string[];
}

export interface WebhookDelivery {
  id: string;
  webhook_id: string;
  event_id: string;
  event_kind: string;
  state: DeliveryState;
  attempts: number;
  next_attempt_at: string;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
}

export interface WebhookAttempt {
  attempted_at: string;
  duration_ms: number;
  status_code: number | null;
  response_excerpt: string | null;
  error: string | null;
}

function send<T>(api: ApiClient, method: Method, path: string, body?: unknown): Promise<T> {
  return api.request<T>(method, path, body);
}

const id = (value: string) => encodeURIComponent(value);

export const notifyApi = {
  rules: async (api: ApiClient) =>
    (await send<{ rules: NotificationRule[] }>(api, 'GET', '/api/notifications/rules')).rules,
  createRule: (api: ApiClient, rule: RuleRequest) =>
    send<NotificationRule>(api, 'POST', '/api/notifications/rules', rule),
  deleteRule: (api: ApiClient, ruleId: string) =>
    send<void>(api, 'DELETE', `/api/notifications/rules/${id(ruleId)}`),

  deliveries: (api: ApiClient, state: DeliveryState | null) => {
    const query = state === null ? '' : `?${new URLSearchParams({ state })}`;
    return send<{ deliveries: EmailDelivery[]; next_before: number | null }>(
      api,
      'GET',
      `/api/notifications/deliveries${query}`,
    );
  },
  retryDelivery: (api: ApiClient, deliveryId: string) =>
    send<EmailDelivery>(api, 'POST', `/api/notifications/deliveries/${id(deliveryId)}/retry`),

  smtp: (api: ApiClient) => send<SmtpView>(api, 'GET', '/api/notifications/smtp'),
  saveSmtp: (api: ApiClient, settings: SmtpRequest) =>
    send<SmtpView>(api, 'PUT', '/api/notifications/smtp', settings),
  testSmtp: (api: ApiClient, to: string) =>
    send<{ sent: boolean; source: string }>(api, 'POST', '/api/notifications/smtp/test', { to }),

  webhooks: async (api: ApiClient) => (await send<{ webhooks: Webhook[] }>(api, 'GET', '/api/webhooks')).webhooks,
  createWebhook: (api: ApiClient, webhook: WebhookRequest) =>
    send<{ webhook: Webhook; secret: string }>(api, 'POST', '/api/webhooks', webhook),
  deleteWebhook: (api: ApiClient, webhookId: string) => send<void>(api, 'DELETE', `/api/webhooks/${id(webhookId)}`),
  webhookDeliveries: async (api: ApiClient, webhookId: string) =>
    (await send<{ deliveries: WebhookDelivery[] }>(api, 'GET', `/api/webhooks/${id(webhookId)}/deliveries`))
      .deliveries,
  webhookAttempts: async (api: ApiClient, deliveryId: string) =>
    (await send<{ attempts: WebhookAttempt[] }>(api, 'GET', `/api/webhooks/deliveries/${id(deliveryId)}/attempts`))
      .attempts,
  retryWebhookDelivery: (api: ApiClient, deliveryId: string) =>
    send<WebhookDelivery>(api, 'POST', `/api/webhooks/deliveries/${id(deliveryId)}/retry`),
};
