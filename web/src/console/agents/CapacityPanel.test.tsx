import { afterEach, describe, expect, it } from 'vitest';
import { act } from 'preact/test-utils';
import { buttonByText, click, jsonResponse, mount, settle, stubApi } from '../accounts/testing';
import { CapacityPanel } from './CapacityPanel';

afterEach(() => {
  document.body.innerHTML = '';
});

const LOADS = {
  agents: [
    { agent_id: 'u-beto', name: 'Beto Ramírez', active: true, daily_capacity: 25, current_assignments: 7 },
    { agent_id: 'u-carla', name: 'Carla Núñez', active: true, daily_capacity: 30, current_assignments: 2 },
  ],
};

describe('CapacityPanel', () => {
  it('shows the load and saves a new capacity', async () => {
    const { api, requests } = stubApi({
      'GET /api/agents/loads': () => jsonResponse(200, LOADS),
      'PUT /api/agents/u-beto/capacity': () => jsonResponse(200, { agent_id: 'u-beto', daily_capacity: 12 }),
    });
    const page = mount(<CapacityPanel api={api} agentId="u-beto" canEdit={true} />);
    await settle();
    expect(page.textContent).toContain('Tiene 7 cuentas asignadas; su capacidad es de 25 visitas por día.');
    const input = page.querySelector<HTMLInputElement>('#capacity-input');
    await act(() => {
      if (input === null) return;
      input.value = '12';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await click(buttonByText(page, 'Guardar capacidad'));
    await settle();
    const put = requests.find((request) => request.method === 'PUT');
    expect(JSON.parse(String(put?.body))).toEqual({ daily_capacity: 12 });
    expect(page.querySelector('[role=status]')?.textContent).toBe('Capacidad guardada: 12 visitas por día.');
  });

  it('is read-only without the right role', async () => {
    const { api } = stubApi({ 'GET /api/agents/loads': () => jsonResponse(200, LOADS) });
    const page = mount(<CapacityPanel api={api} agentId="u-carla" canEdit={false} />);
    await settle();
    expect(page.textContent).toContain('Tiene 2 cuentas asignadas');
    expect(page.querySelector('input')).toBeNull();
  });
});
