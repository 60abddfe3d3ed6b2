import { afterEach, describe, expect, it } from 'vitest';
import { act } from 'preact/test-utils';
import { buttonByText, click, jsonResponse, mount, selectOption, settle, stubApi } from '../accounts/testing';
import type { EmailDelivery, NotificationRule, SmtpView } from './api';
import { NotificationsPage } from './NotificationsPage';

const RULE: NotificationRule = {
  id: 'rule-1',
  name: 'Promesas a Banco Norte',
  event_kinds: ['promise.created'],
  lender_id: 'lender-1',
  portfolio_id: null,
  agent_id: null,
  result_codes: ['PTP'],
  recipients: ['cobranza@norte.mx'],
  language: 'es',
  active: true,
  created_at: '2026-12-01T10:00:00Z',
  updated_at: '2026-12-01T10:00:00Z',
};

const LENDER = {
  id: 'lender-1',
  name: 'Banco Norte',
  redeco_registration: null,
  complaint_unit_contact: null,
  collection_phones: [],
  payment_references: [],
  created_at: '2026-11-01T00:00:00Z',
};

const SMTP_OWN: SmtpView = {
  source: 'organization',
  host: 'smtp.norte.mx',
  port: 587,
  security: 'starttls',
  username: 'avisos',
  has_password: true,
  from_address: 'Despacho <avisos@norte.mx>',
  updated_at: '2026-12-01T10:00:00Z',
};

const SMTP_NONE: SmtpView = {
  source: 'none',
  host: null,
  port: null,
  security: null,
  username: null,
  has_password: false,
  from_address: null,
  updated_at: null,
};

function delivery(id: string, state: EmailDelivery['state'], lastError: string | null): EmailDelivery {
  return {
    id,
    event_id: `event-${id}`,
    event_kind: 'visit.completed',
    rule_id: 'rule-1',
    recipient: 'cobranza@norte.mx',
    language: 'es',
    state,
    attempts: state === 'failed' ? 8 : 1,
    next_attempt_at: '2026-12-01T10:05:00Z',
    last_error: lastError,
    message_id: `<${id}@ronda>`,
    created_at: '2026-12-01T10:00:00Z',
    sent_at: null,
    cursor: 0,
  };
}

/** Routes every panel needs, with the lists given. */
function routes(options: { rules?: NotificationRule[]; deliveries?: EmailDelivery[]; smtp?: SmtpView }) {
  return {
    'GET /api/notifications/rules': () => jsonResponse(200, { rules: options.rules ?? [] }),
    'GET /api/lenders': () => jsonResponse(200, { lenders: [LENDER] }),
    'GET /api/portfolios': () => jsonResponse(200, { portfolios: [] }),
    'GET /api/users': () => jsonResponse(200, { users: [] }),
    'GET /api/notifications/smtp': () =>
      jsonResponse(200, options.smtp ?? SMTP_NONE),
    'GET /api/notifications/deliveries': () =>
      jsonResponse(200, { deliveries: options.deliveries ?? [], next_before: null }),
    'GET /api/webhooks': () => jsonResponse(200, { webhooks: [] }),
  };
}

async function type(input: Element | null, value: string) {
  if (input === null) throw new Error('Input not found');
  await act(async () => {
    const field = input as HTMLInputElement;
    field.value = value;
    field.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

function labelled(container: HTMLElement, text: string): HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement {
  const label = [...container.querySelectorAll('label')].find((item) => item.textContent?.startsWith(text));
  const control = label?.querySelector('input, select, textarea');
  if (!control) throw new Error(`No field labelled ${text}`);
  return control as HTMLInputElement;
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('NotificationsPage rules', () => {
  it('creates a rule with its filters and shows it after reloading', async () => {
    let rules: NotificationRule[] = [];
    const { api, requests } = stubApi({
      ...routes({}),
      'GET /api/notifications/rules': () => jsonResponse(200, { rules }),
      'POST /api/notifications/rules': () => {
        rules = [RULE];
        return jsonResponse(201, RULE);
      },
    });
    const page = mount(<NotificationsPage api={api} role="supervisor" />);
    await settle();
    expect(page.textContent).toContain('Aún no hay reglas. Crea una abajo');

    await type(labelled(page, 'Nombre'), 'Promesas a Banco Norte');
    const kinds = [...page.querySelectorAll<HTMLInputElement>('fieldset input[type=checkbox]')];
    await click(kinds[0]!); // turns off "Visita terminada"
    await click(kinds[1]!); // turns on "Promesa de pago"
    await selectOption(labelled(page, 'Otorgante') as HTMLSelectElement, 'lender-1');
    await type(labelled(page, 'Códigos de resultado'), 'ptp');
    await type(labelled(page, 'Destinatarios'), 'cobranza@norte.mx,\n');
    await click(buttonByText(page, 'Crear regla'));

    const post = requests.find((r) => r.method === 'POST');
    expect(JSON.parse(String(post?.body))).toEqual({
      name: 'Promesas a Banco Norte',
      event_kinds: ['promise.created'],
      lender_id: 'lender-1',
      portfolio_id: null,
      agent_id: null,
      result_codes: ['ptp'],
      recipients: ['cobranza@norte.mx'],
      language: 'es',
    });
    expect(page.textContent).toContain('Promesas a Banco Norte');
    expect(page.textContent).toContain('Otorgante: Banco Norte');
  });

  it('explains what is missing instead of sending an empty rule', async () => {
    const { api, requests } = stubApi(routes({}));
    const page = mount(<NotificationsPage api={api} role="admin" />);
    await settle();
    await click(buttonByText(page, 'Crear regla'));
    expect(page.textContent).toContain('Escribe un nombre, elige al menos un evento');
    expect(requests.some((r) => r.method === 'POST')).toBe(false);
  });

  it('deletes a rule', async () => {
    let rules = [RULE];
    const { api, requests } = stubApi({
      ...routes({}),
      'GET /api/notifications/rules': () => jsonResponse(200, { rules }),
      'DELETE /api/notifications/rules/rule-1': () => {
        rules = [];
        return new Response(null, { status: 204 });
      },
    });
    const page = mount(<NotificationsPage api={api} role="supervisor" />);
    await settle();
    await click(buttonByText(page, 'Eliminar'));
    expect(requests.some((r) => r.method === 'DELETE')).toBe(true);
    expect(page.textContent).not.toContain('Promesas a Banco Norte');
  });

  it('shows a load failure with a way to try again', async () => {
    let fail = true;
    const { api } = stubApi({
      ...routes({}),
      'GET /api/notifications/rules': () =>
        fail
          ? jsonResponse(500, { code: 'internal', message: 'Error interno del servidor.', field: null })
          : jsonResponse(200, { rules: [RULE] }),
    });
    const page = mount(<NotificationsPage api={api} role="supervisor" />);
    await settle();
    expect(page.textContent).toContain('No se pudo cargar la lista.');
    fail = false;
    await click(buttonByText(page, 'Reintentar'));
    expect(page.textContent).toContain('Promesas a Banco Norte');
  });
});

describe('NotificationsPage SMTP', () => {
  it('saves the settings without sending the stored password back', async () => {
    const { api, requests } = stubApi({
      ...routes({ smtp: SMTP_OWN }),
      'PUT /api/notifications/smtp': () => jsonResponse(200, { ...SMTP_OWN, port: 465, security: 'tls' }),
    });
    const page = mount(<NotificationsPage api={api} role="admin" />);
    await settle();
    const password = page.querySelector<HTMLInputElement>('input[name=password]');
    expect(password?.value).toBe('');
    expect(page.textContent).toContain('Hay una contraseña guardada');
    expect(page.querySelector<HTMLInputElement>('input[name=host]')?.value).toBe('smtp.norte.mx');

    await type(page.querySelector('input[name=port]'), '465');
    await selectOption(page.querySelector<HTMLSelectElement>('select[name=security]'), 'tls');
    await click(buttonByText(page, 'Guardar servidor'));

    const put = requests.find((r) => r.method === 'PUT');
    expect(JSON.parse(String(put?.body))).toEqual({
      host: 'smtp.norte.mx',
      port: 465,
      security: 'tls',
      username: 'avisos',
      from_address: 'Despacho <avisos@norte.mx>',
    });
    expect(page.textContent).toContain('Servidor de correo guardado.');
  });

  it('sends a test email and shows the server error when it fails', async () => {
    let ok = true;
    const { api, requests } = stubApi({
      ...routes({ smtp: SMTP_OWN }),
      'POST /api/notifications/smtp/test': () =>
        ok
          ? jsonResponse(200, { sent: true, source: 'organization' })
          : jsonResponse(502, {
              code: 'smtp_failed',
              message: 'No se pudo enviar el correo de prueba: connection refused.',
              field: 'smtp',
            }),
    });
    const page = mount(<NotificationsPage api={api} role="admin" />);
    await settle();
    await type(page.querySelector('input[name=test-to]'), 'yo@norte.mx');
    await click(buttonByText(page, 'Enviar correo de prueba'));
    expect(JSON.parse(String(requests.find((r) => r.url.endsWith('/smtp/test'))?.body))).toEqual({ to: 'yo@norte.mx' });
    expect(page.textContent).toContain('Correo de prueba enviado a yo@norte.mx.');

    ok = false;
    await click(buttonByText(page, 'Enviar correo de prueba'));
    expect(page.textContent).toContain('No se pudo enviar el correo de prueba: connection refused.');
  });

  it('shows missing server read-only to supervisors', async () => {
    const { api } = stubApi(routes({}));
    const page = mount(<NotificationsPage api={api} role="supervisor" />);
    await settle();
    expect(page.textContent).toContain('No hay servidor de correo: los correos esperan sin enviarse.');
    expect(page.querySelector('input[name=host]')).toBeNull();
    expect(buttonByText(page, 'Enviar correo de prueba')).toBeNull();
  });
});

describe('NotificationsPage deliveries', () => {
  it('shows each state and retries only failed emails', async () => {
    let failed = delivery('d-2', 'failed', 'SMTP 550 mailbox unavailable');
    const { api, requests } = stubApi({
      ...routes({}),
      'GET /api/notifications/deliveries': () =>
        jsonResponse(200, { deliveries: [delivery('d-1', 'sent', null), failed], next_before: null }),
      'POST /api/notifications/deliveries/d-2/retry': () => {
        failed = { ...failed, state: 'pending', attempts: 0 };
        return jsonResponse(200, failed);
      },
    });
    const page = mount(<NotificationsPage api={api} role="supervisor" />);
    await settle();
    const table = () => page.querySelector('section[aria-labelledby=notify-deliveries-title] table')?.textContent ?? '';
    expect(table()).toContain('Enviado');
    expect(table()).toContain('Fallido');
    expect(table()).toContain('SMTP 550 mailbox unavailable');
    const retries = [...page.querySelectorAll('button')].filter((b) => b.textContent === 'Reintentar');
    expect(retries).toHaveLength(1);

    await click(retries[0]!);
    expect(requests.some((r) => r.method === 'POST' && r.url.endsWith('/d-2/retry'))).toBe(true);
    expect(table()).toContain('Pendiente');
    expect(table()).not.toContain('Fallido');
  });

  it('filters by state through the query string', async () => {
    const { api, requests } = stubApi(routes({}));
    const page = mount(<NotificationsPage api={api} role="supervisor" />);
    await settle();
    expect(page.textContent).toContain('No hay correos en esta lista.');
    await selectOption(page.querySelector<HTMLSelectElement>('select[name=delivery-state]'), 'failed');
    expect(requests.some((r) => r.url === '/api/notifications/deliveries?state=failed')).toBe(true);
  });
});

describe('NotificationsPage for viewers', () => {
  it('is read-only', async () => {
    const { api } = stubApi(
      routes({ rules: [RULE], smtp: SMTP_OWN, deliveries: [delivery('d-2', 'failed', 'timeout')] }),
    );
    const page = mount(<NotificationsPage api={api} role="viewer" />);
    await settle();
    expect(page.textContent).toContain('Tu rol puede consultar esta página, pero no cambiarla.');
    expect(page.textContent).toContain('Promesas a Banco Norte');
    expect(page.textContent).toContain('smtp.norte.mx');
    expect(page.querySelector('form')).toBeNull();
    expect(buttonByText(page, 'Eliminar')).toBeNull();
    expect(buttonByText(page, 'Reintentar')).toBeNull();
    expect(page.textContent).not.toContain('Hay una contraseña guardada');
  });
});
