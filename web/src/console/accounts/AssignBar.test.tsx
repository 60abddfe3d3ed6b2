import { afterEach, describe, expect, it } from 'vitest';
import { act } from 'preact/test-utils';
import type { AccountSummary } from '../../shared/types';
import { AccountsList } from './AccountsList';
import { buttonByText, click, jsonResponse, mount, settle, stubApi } from './testing';

afterEach(() => {
  document.body.innerHTML = '';
});

const AGENT = { id: 'u-agent', email: 'beto@norte.mx', name: 'Beto Ramírez', role: 'agent', active: true } as const;

function account(id: string, number: string): AccountSummary {
  return {
    id,
    lender_account_id: number,
    debtor_name: `Titular ${number}`,
    lender_name: 'Financiera Sol',
    portfolio_name: 'Diciembre',
    overdue_cents: 150_000,
    days_past_due: 30,
    currency: 'MXN',
    address_text: 'Madero 1, Centro',
    postal_code: '06000',
    municipality: 'Cuauhtémoc',
    state: 'Ciudad de México',
    time_zone: 'America/Mexico_City',
    needs_pin: false,
  };
}

const PAGE = { accounts: [account('a-1', 'CR-1'), account('a-2', 'CR-2'), account('a-3', 'CR-3')], total: 3, page: 1, per_page: 50 };

async function check(page: HTMLElement, label: string) {
  const box = page.querySelector<HTMLInputElement>(`input[aria-label="${label}"]`);
  expect(box, label).not.toBeNull();
  await act(() => {
    box?.click();
  });
}

async function chooseAgent(page: HTMLElement) {
  const select = page.querySelector<HTMLSelectElement>('#assign-agent');
  await act(() => {
    if (select === null) return;
    select.value = AGENT.id;
    select.dispatchEvent(new Event('change', { bubbles: true }));
  });
}

function list(api: Parameters<typeof AccountsList>[0]['api']) {
  return mount(
    <AccountsList
      api={api}
      portfolios={[]}
      portfolioId={null}
      onPortfolioChange={() => {}}
      refreshKey={0}
      canImport={true}
      agents={[AGENT]}
      canAssign={true}
    />,
  );
}

describe('assigning accounts from the list', () => {
  it('sends the selected accounts to the chosen agent and reports the counts', async () => {
    const { api, requests } = stubApi({
      'GET /api/accounts': () => jsonResponse(200, PAGE),
      'POST /api/assignments': () => jsonResponse(200, { assigned: 2, reassigned: 0, unchanged: 0, agent_load: 2 }),
    });
    const page = list(api);
    await settle();
    await check(page, 'Seleccionar la cuenta CR-1');
    await check(page, 'Seleccionar la cuenta CR-3');
    await chooseAgent(page);
    await click(buttonByText(page, 'Asignar (2)'));
    await settle();
    const post = requests.find((request) => request.method === 'POST');
    expect(JSON.parse(String(post?.body))).toEqual({ agent_id: 'u-agent', account_ids: ['a-1', 'a-3'], allow_over_capacity: false });
    expect(page.querySelector('[role=status]')?.textContent).toContain('2 asignadas, 0 reasignadas y 0 sin cambio para Beto Ramírez');
    expect(page.textContent).toContain('0 cuentas seleccionadas');
  });

  it('offers to go over capacity when the server refuses', async () => {
    let calls = 0;
    const { api, requests } = stubApi({
      'GET /api/accounts': () => jsonResponse(200, PAGE),
      'POST /api/assignments': () => {
        calls += 1;
        return calls === 1
          ? jsonResponse(409, { code: 'over_capacity', field: null, message: 'Beto Ramírez ya tiene 30 cuentas; su capacidad es 25.' })
          : jsonResponse(200, { assigned: 3, reassigned: 0, unchanged: 0, agent_load: 33 });
      },
    });
    const page = list(api);
    await settle();
    await check(page, 'Seleccionar las cuentas de esta página');
    await chooseAgent(page);
    await click(buttonByText(page, 'Asignar (3)'));
    await settle();
    expect(page.querySelector('[role=alert]')?.textContent).toContain('su capacidad es 25');
    await click(buttonByText(page, 'Asignar de todos modos'));
    await settle();
    const bodies = requests.filter((request) => request.method === 'POST').map((request) => JSON.parse(String(request.body)));
    expect(bodies.map((body) => body.allow_over_capacity)).toEqual([false, true]);
    expect(page.querySelector('[role=status]')?.textContent).toContain('ahora tiene 33 cuentas');
  });

  it('hides the selection from viewers', async () => {
    const { api } = stubApi({ 'GET /api/accounts': () => jsonResponse(200, PAGE) });
    const page = mount(
      <AccountsList api={api} portfolios={[]} portfolioId={null} onPortfolioChange={() => {}} refreshKey={0} canImport={false} agents={[]} canAssign={false} />,
    );
    await settle();
    expect(page.querySelector('input[type=checkbox]')).toBeNull();
    expect(page.querySelector('#assign-agent')).toBeNull();
  });
});
