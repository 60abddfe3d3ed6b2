import { afterEach, describe, expect, it } from 'vitest';
import { act } from 'preact/test-utils';
import { buttonByText, click, jsonResponse, mount, selectOption, settle, stubApi } from '../accounts/testing';
import { OrganizationPanel } from './OrganizationPanel';

afterEach(() => {
  document.body.innerHTML = '';
});

const SETTINGS = {
  id: '0190a1b2-0000-7000-8000-000000000001',
  name: 'Despacho Norte',
  display_name: null,
  default_time_zone: null,
  time_zones: ['America/Mexico_City', 'America/Monterrey', 'America/Tijuana'],
  contact_rule: { jurisdiction: 'MX', window: { start: '07:00', end: '22:00' } },
  track_outside_shifts: false,
  updated_at: null,
};

async function type(input: HTMLInputElement | null, value: string) {
  expect(input).not.toBeNull();
  await act(() => {
    if (input === null) return;
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

describe('OrganizationPanel', () => {
  it('lets an admin change the window, zone and holidays', async () => {
    const { api, requests } = stubApi({
      'GET /api/organization': () => jsonResponse(200, SETTINGS),
      'PUT /api/organization': (request) => {
        const body = JSON.parse(String(request.body));
        return jsonResponse(200, { ...SETTINGS, ...body, contact_rule: { jurisdiction: 'MX', ...body.contact_rule }, updated_at: 1 });
      },
    });
    const page = mount(<OrganizationPanel api={api} canEdit={true} />);
    await settle();
    const times = page.querySelectorAll<HTMLInputElement>('.org-window input[type=time]');
    await type(times[0] ?? null, '08:30');
    await type(times[1] ?? null, '20:00');
    await selectOption(page.querySelector('select'), 'America/Monterrey');
    await type(page.querySelector('input[type=date]'), '2026-12-25');
    await click(buttonByText(page, 'Agregar día inhábil'));
    await click(buttonByText(page, 'Guardar configuración'));
    await settle();

    const saved = requests.find((request) => request.method === 'PUT');
    expect(JSON.parse(String(saved?.body))).toEqual({
      display_name: null,
      default_time_zone: 'America/Monterrey',
      contact_rule: { window: { start: '08:30', end: '20:00' }, weekdays: [], holidays: ['2026-12-25'] },
      track_outside_shifts: false,
    });
    expect(page.querySelector('[role=status]')?.textContent).toBe('Se guardó la configuración de la organización.');
    expect(page.querySelector('.org-holidays')?.textContent).toContain('2026-12-25');
  });

  it('sends weekday windows with their days', async () => {
    const { api, requests } = stubApi({
      'GET /api/organization': () => jsonResponse(200, SETTINGS),
      'PUT /api/organization': () => jsonResponse(200, SETTINGS),
    });
    const page = mount(<OrganizationPanel api={api} canEdit={true} />);
    await settle();
    await click(buttonByText(page, 'Agregar horario por día'));
    const group = page.querySelector('.org-weekday');
    const boxes = group?.querySelectorAll<HTMLInputElement>('input[type=checkbox]') ?? [];
    await click(boxes[5] ?? null);
    await click(buttonByText(page, 'Guardar configuración'));
    await settle();
    const body = JSON.parse(String(requests.find((request) => request.method === 'PUT')?.body));
    expect(body.contact_rule.weekdays).toEqual([{ days: ['saturday'], start: '07:00', end: '22:00' }]);
  });

  it('shows the field error the server returns', async () => {
    const { api } = stubApi({
      'GET /api/organization': () => jsonResponse(200, SETTINGS),
      'PUT /api/organization': () =>
        jsonResponse(422, {
          code: 'invalid_input',
          field: 'contact_rule.window.start',
          message: 'La hora de inicio (22:00) debe ser anterior a la de fin (07:00).',
        }),
    });
    const page = mount(<OrganizationPanel api={api} canEdit={true} />);
    await settle();
    await click(buttonByText(page, 'Guardar configuración'));
    await settle();
    expect(page.querySelector('[role=alert]')?.textContent).toContain('debe ser anterior');
  });

  it('is read-only for other roles', async () => {
    const { api } = stubApi({ 'GET /api/organization': () => jsonResponse(200, SETTINGS) });
    const page = mount(<OrganizationPanel api={api} canEdit={false} />);
    await settle();
    expect(page.querySelector('fieldset')?.disabled).toBe(true);
    expect(buttonByText(page, 'Guardar configuración')).toBeNull();
    expect(page.textContent).toContain('Solo un administrador puede cambiarlos.');
  });

  it('shows an error when the settings cannot load', async () => {
    const { api } = stubApi({
      'GET /api/organization': () => jsonResponse(403, { code: 'forbidden', field: null, message: 'Sin permiso.' }),
    });
    const page = mount(<OrganizationPanel api={api} canEdit={false} />);
    await settle();
    expect(page.querySelector('[role=alert]')).not.toBeNull();
    expect(page.querySelector('form')).toBeNull();
  });
});
