import { afterEach, describe, expect, it } from 'vitest';
import { act } from 'preact/test-utils';
import { buttonByText, click, jsonResponse, mount, settle, stubApi } from '../accounts/testing';
import type { Webhook, WebhookDelivery } from './api';
import { WebhooksPanel } from './WebhooksPanel';

const HOOK: Webhook = {
  id: 'hook-1',
  name: 'CRM del otorgante',
  url: 'https://crm.norte.mx/ronda',
  kinds: ['visit.completed', 'checkin.rejected'],
  active: true,
  created_at: '2026-12-01T10:00:00Z',
  updated_at: '2026-12-01T10:00:00Z',
};

const FAILED: WebhookDelivery = {
  id: 'wd-1',
  webhook_id: 'hook-1',
  event_id: 'event-1',
  event_kind: 'visit.completed',
  state: 'failed',
  attempts: 8,
  next_attempt_at: '2026-12-01T11:00:00Z',
  last_status_code: 503,
  last_error: 'HTTP 503',
  created_at: '2026-12-01T10:00:00Z',
  delivered_at: null,
};

async function type(input: Element | null, value: string) {
  if (input === null) throw new Error('Input not found');
  await act(async () => {
    (input as HTMLInputElement).value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('WebhooksPanel', () => {
  it('creates a webhook and shows its secret once', async () => {
    let hooks: Webhook[] = [];
    const { api, requests } = stubApi({
      'GET /api/webhooks': () => jsonResponse(200, { webhooks: hooks }),
      'POST /api/webhooks': () => {
        hooks = [HOOK];
        return jsonResponse(201, { webhook: HOOK, secret: 'whsec_0123456789abcdef' });
      },
    });
    const page = mount(<WebhooksPanel api={api} canManage={true} />);
    await settle();
    expect(page.textContent).toContain('Aún no hay webhooks. Agrega uno abajo');

    await type(page.querySelector('input[name=webhook-name]'), 'CRM del otorgante');
    await type(page.querySelector('input[name=webhook-url]'), 'https://crm.norte.mx/ronda');
    const rejected = [...page.querySelectorAll<HTMLInputElement>('fieldset input[type=checkbox]')][2]!;
    await click(rejected);
    await click(buttonByText(page, 'Agregar webhook'));

    const post = requests.find((r) => r.method === 'POST');
    expect(JSON.parse(String(post?.body))).toEqual({
      name: 'CRM del otorgante',
      url: 'https://crm.norte.mx/ronda',
      kinds: ['visit.completed', 'checkin.rejected'],
    });
    expect(page.textContent).toContain('whsec_0123456789abcdef');
    expect(page.textContent).toContain('no se volverá a mostrar');
    expect(page.textContent).toContain('https://crm.norte.mx/ronda');

    await click(buttonByText(page, 'Ya la copié'));
    expect(page.textContent).not.toContain('whsec_0123456789abcdef');
  });

  it('opens the delivery log with attempts and retries a failed delivery', async () => {
    let delivery = FAILED;
    const { api, requests } = stubApi({
      'GET /api/webhooks': () => jsonResponse(200, { webhooks: [HOOK] }),
      'GET /api/webhooks/hook-1/deliveries': () => jsonResponse(200, { deliveries: [delivery] }),
      'GET /api/webhooks/deliveries/wd-1/attempts': () =>
        jsonResponse(200, {
          attempts: [
            {
              attempted_at: '2026-12-01T10:00:01Z',
              duration_ms: 120,
              status_code: 503,
              response_excerpt: 'Service Unavailable',
              error: null,
            },
          ],
        }),
      'POST /api/webhooks/deliveries/wd-1/retry': () => {
        delivery = { ...FAILED, state: 'pending', attempts: 0 };
        return jsonResponse(200, delivery);
      },
    });
    const page = mount(<WebhooksPanel api={api} canManage={true} />);
    await settle();
    await click(buttonByText(page, 'Ver entregas'));
    expect(page.textContent).toContain('Entregas de CRM del otorgante');
    expect(page.textContent).toContain('Fallido');
    expect(page.textContent).toContain('503');

    await click(buttonByText(page, 'Ver intentos'));
    expect(page.textContent).toContain('120 ms');
    expect(page.textContent).toContain('Service Unavailable');

    await click(buttonByText(page, 'Reintentar'));
    expect(requests.some((r) => r.method === 'POST' && r.url.endsWith('/wd-1/retry'))).toBe(true);
    expect(page.textContent).toContain('Pendiente');
    expect(buttonByText(page, 'Reintentar')).toBeNull();
  });

  it('lets non-admins read the log but not change anything', async () => {
    const { api } = stubApi({
      'GET /api/webhooks': () => jsonResponse(200, { webhooks: [HOOK] }),
      'GET /api/webhooks/hook-1/deliveries': () => jsonResponse(200, { deliveries: [FAILED] }),
    });
    const page = mount(<WebhooksPanel api={api} canManage={false} />);
    await settle();
    expect(page.querySelector('form')).toBeNull();
    expect(buttonByText(page, 'Eliminar')).toBeNull();
    await click(buttonByText(page, 'Ver entregas'));
    expect(page.textContent).toContain('Fallido');
    expect(buttonByText(page, 'Reintentar')).toBeNull();
  });

  it('deletes a webhook', async () => {
    let hooks = [HOOK];
    const { api } = stubApi({
      'GET /api/webhooks': () => jsonResponse(200, { webhooks: hooks }),
      'DELETE /api/webhooks/hook-1': () => {
        hooks = [];
        return new Response(null, { status: 204 });
      },
    });
    const page = mount(<WebhooksPanel api={api} canManage={true} />);
    await settle();
    await click(buttonByText(page, 'Eliminar'));
    expect(page.textContent).not.toContain('crm.norte.mx');
  });
});
