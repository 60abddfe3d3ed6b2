import { afterEach, describe, expect, it } from 'vitest';
import { act } from 'preact/test-utils';
import { buttonByText, click, jsonResponse, mount, settle, stubApi } from '../accounts/testing';
import { ResultCodesPanel } from './ResultCodesPanel';

afterEach(() => {
  document.body.innerHTML = '';
});

const CODES = [
  { code: 'PTP', class: 'success', label_es: 'Promesa de pago', label_en: 'Promise to pay', requires_es: 'monto, fecha y canal', active: true },
  { code: 'MOVED', class: 'reach', label_es: 'Ya no vive ahí', label_en: 'Moved away', requires_es: '', active: true },
];

async function type(input: HTMLInputElement | null, value: string) {
  expect(input).not.toBeNull();
  await act(() => {
    if (input === null) return;
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

describe('ResultCodesPanel', () => {
  it('lets an admin relabel a code and add one', async () => {
    const { api, requests } = stubApi({
      'GET /api/result-codes': () => jsonResponse(200, { result_codes: CODES }),
      'PUT /api/result-codes/PTP': () => jsonResponse(200, CODES[0]),
      'PUT /api/result-codes/CALL_BACK': () => jsonResponse(201, CODES[1]),
    });
    const page = mount(<ResultCodesPanel api={api} canEdit={true} />);
    await settle();
    await type(page.querySelector('input[aria-label="Etiqueta en español de PTP"]'), 'Promesa de pago total');
    await click(page.querySelectorAll<HTMLButtonElement>('tbody button')[0] ?? null);
    await settle();
    const relabel = requests.find((request) => request.url.endsWith('/api/result-codes/PTP'));
    expect(JSON.parse(String(relabel?.body))).toEqual({
      class: 'success',
      label_es: 'Promesa de pago total',
      label_en: 'Promise to pay',
      requires_es: 'monto, fecha y canal',
      active: true,
    });
    expect(page.querySelector('[role=status]')?.textContent).toBe('Se guardó el código PTP.');

    const form = page.querySelector('form.codes-new');
    const inputs = form?.querySelectorAll<HTMLInputElement>('input') ?? [];
    await type(inputs[0] ?? null, 'call_back');
    await type(inputs[1] ?? null, 'Pide que regresen otro día');
    await type(inputs[2] ?? null, 'Asks to come back another day');
    await click(buttonByText(page, 'Agregar'));
    await settle();
    const added = requests.find((request) => request.url.endsWith('/api/result-codes/CALL_BACK'));
    expect(added?.method).toBe('PUT');
    expect(JSON.parse(String(added?.body)).label_es).toBe('Pide que regresen otro día');
  });

  it('shows the server error for a bad code', async () => {
    const { api } = stubApi({
      'GET /api/result-codes': () => jsonResponse(200, { result_codes: CODES }),
      'PUT /api/result-codes/X': () =>
        jsonResponse(422, { code: 'invalid_input', field: 'code', message: 'El código lleva de 2 a 32 mayúsculas.' }),
    });
    const page = mount(<ResultCodesPanel api={api} canEdit={true} />);
    await settle();
    const inputs = page.querySelectorAll<HTMLInputElement>('form.codes-new input');
    await type(inputs[0] ?? null, 'x');
    await click(buttonByText(page, 'Agregar'));
    await settle();
    expect(page.querySelector('[role=alert]')?.textContent).toContain('2 a 32 mayúsculas');
  });

  it('is read-only for other roles', async () => {
    const { api } = stubApi({ 'GET /api/result-codes': () => jsonResponse(200, { result_codes: CODES }) });
    const page = mount(<ResultCodesPanel api={api} canEdit={false} />);
    await settle();
    expect(page.querySelectorAll('input')).toHaveLength(0);
    expect(page.querySelector('tbody')?.textContent).toContain('Contacto con el titular');
    expect(page.textContent).toContain('Solo un administrador puede cambiarlo.');
  });
});
