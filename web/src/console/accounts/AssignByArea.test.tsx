import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Portfolio, User } from '../../shared/types';
import { AssignByArea } from './AssignByArea';
import { buttonByText, click, jsonResponse, mount, selectOption, settle, stubApi } from './testing';

const AGENTS = [{ id: 'a1', name: 'Rosa Díaz' }] as unknown as User[];
const PORTFOLIOS = [
  { id: 'p1', lender_id: 'l1', lender_name: 'Caja', name: 'Enero', account_count: 3, created_at: '2026-01-01T00:00:00Z' },
] as Portfolio[];
const DONE = { assigned: 2, reassigned: 1, unchanged: 0, agent_load: 3 };

async function type(element: HTMLInputElement | HTMLTextAreaElement | null, value: string) {
  element!.value = value;
  element!.dispatchEvent(new Event('input', { bubbles: true }));
  await settle();
}

function render(routes: Parameters<typeof stubApi>[0]) {
  const stub = stubApi(routes);
  const onAssigned = vi.fn();
  const container = mount(
    <AssignByArea api={stub.api} agents={AGENTS} portfolios={PORTFOLIOS} onAssigned={onAssigned} onClose={vi.fn()} />,
  );
  return { ...stub, container, onAssigned };
}

describe('AssignByArea', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('assigns by postal codes within a portfolio', async () => {
    const { container, requests, onAssigned } = render({ 'POST /api/assignments': () => jsonResponse(200, DONE) });
    await selectOption(container.querySelector('#area-agent'), 'a1');
    await selectOption(container.querySelector('#area-portfolio'), 'p1');
    await type(container.querySelector('#area-postal'), '06000, 44100 06000');
    await click(buttonByText(container, 'Asignar el área'));

    expect(JSON.parse(String(requests[0]!.body))).toEqual({
      agent_id: 'a1',
      postal_codes: ['06000', '44100'],
      portfolio_id: 'p1',
      allow_over_capacity: false,
    });
    expect(container.querySelector('[role="status"]')!.textContent).toContain('2 asignadas, 1 reasignadas');
    expect(onAssigned).toHaveBeenCalled();
  });

  it('says when no account matches', async () => {
    const { container } = render({
      'POST /api/assignments': () => jsonResponse(200, { assigned: 0, reassigned: 0, unchanged: 0, agent_load: 4 }),
    });
    await selectOption(container.querySelector('#area-agent'), 'a1');
    await click(container.querySelector<HTMLInputElement>('input[value="municipality"]'));
    await type(container.querySelector('#area-municipality'), 'Ningún Lugar');
    await click(buttonByText(container, 'Asignar el área'));
    expect(container.querySelector('[role="status"]')!.textContent).toBe(
      'Ninguna cuenta coincide con esa área. Revisa los códigos postales, el municipio o la zona.',
    );
  });

  it('names bad postal codes and sends nothing', async () => {
    const { container, requests } = render({});
    await selectOption(container.querySelector('#area-agent'), 'a1');
    await type(container.querySelector('#area-postal'), '6000');
    await click(buttonByText(container, 'Asignar el área'));
    expect(container.querySelector('[role="alert"]')!.textContent).toBe(
      'Estos no son códigos postales de cinco dígitos: 6000. Corrígelos.',
    );
    expect(requests).toEqual([]);
  });

  it('sends a typed zone and confirms over capacity', async () => {
    let calls = 0;
    const { container, requests } = render({
      'POST /api/assignments': () => {
        calls += 1;
        return calls === 1
          ? jsonResponse(409, { code: 'over_capacity', message: 'Rosa Díaz rebasaría su capacidad.', field: null })
          : jsonResponse(200, DONE);
      },
    });
    await selectOption(container.querySelector('#area-agent'), 'a1');
    const zone = container.querySelector<HTMLInputElement>('input[value="zone"]')!;
    await click(zone);
    await click(buttonByText(container, 'Asignar el área'));
    await type(container.querySelector('#area-vertices'), '19.43, -99.14\n19.43, -99.12');
    await click(buttonByText(container, 'Asignar el área'));
    expect(container.querySelector('[role="alert"]')!.textContent).toBe(
      'Una zona necesita al menos 3 vértices. Agrega más en el mapa.',
    );

    await type(container.querySelector('#area-vertices'), '19.43, -99.14\n19.43, -99.12\n19.45, -99.13');
    await click(buttonByText(container, 'Asignar el área'));
    expect(container.querySelector('[role="alert"]')!.textContent).toContain('rebasaría su capacidad');
    await click(buttonByText(container, 'Asignar de todos modos'));
    const sent = requests.map((request) => JSON.parse(String(request.body)));
    expect(sent[0].zone).toEqual([
      [19.43, -99.14],
      [19.43, -99.12],
      [19.45, -99.13],
    ]);
    expect(sent[1].allow_over_capacity).toBe(true);
  });
});
