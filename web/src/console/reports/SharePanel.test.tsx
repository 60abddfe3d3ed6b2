import { afterEach, describe, expect, it } from 'vitest';
import { jsonResponse, mount, settle, stubApi } from '../accounts/testing';
import type { SavedReport } from './customApi';
import { SharePanel, localDateTime } from './SharePanel';

const REPORT: SavedReport = {
  id: '0190a0b4-0000-7000-8000-000000000001',
  name: 'Veredictos',
  definition: { dimensions: ['verdict'], measures: ['attempts'], filters: {}, period: { last_days: 30 } },
  created_at: '2026-07-30T12:00:00Z',
  updated_at: '2026-07-30T12:00:00Z',
};

/** Intl separates time and day period with a narrow no-break space, which reads as a space. */
function spaces(text: string | null | undefined): string {
  return (text ?? '').replace(/[\u00a0\u202f]/g, ' ');
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('localDateTime', () => {
  it('shows UTC instants in Mexico City time', () => {
    expect(spaces(localDateTime('2026-07-30T12:00:00Z', 'es', 'America/Mexico_City'))).toBe('30 jul 2026, 6:00 a.m.');
    expect(spaces(localDateTime('2026-12-06T03:30:00Z', 'es', 'America/Mexico_City'))).toBe('5 dic 2026, 9:30 p.m.');
  });

  it('formats for English readers', () => {
    expect(spaces(localDateTime('2026-07-30T12:00:00Z', 'en', 'America/Tijuana'))).toBe('Jul 30, 2026, 5:00 AM');
  });

  it('keeps text that is not a timestamp', () => {
    expect(localDateTime('pronto', 'es', 'America/Mexico_City')).toBe('pronto');
  });
});

describe('SharePanel dates', () => {
  it('lists links in the given zone', async () => {
    const { api } = stubApi({
      [`GET /api/reports/saved/${REPORT.id}/shares`]: () =>
        jsonResponse(200, [
          {
            id: 's1',
            report_id: REPORT.id,
            created_at: '2026-12-05T02:15:00Z',
            expires_at: '2026-12-12T02:15:00.123456Z',
            revoked_at: null,
            active: true,
          },
        ]),
    });
    const page = mount(<SharePanel api={api} report={REPORT} timeZone="America/Mexico_City" />);
    await settle();

    const cells = [...page.querySelectorAll('.reports__share tbody td')].map((cell) => spaces(cell.textContent));
    expect(cells.slice(0, 2)).toEqual(['4 dic 2026, 8:15 p.m.', '11 dic 2026, 8:15 p.m.']);
    const times = [...page.querySelectorAll('.reports__share tbody time')].map((time) => time.getAttribute('datetime'));
    expect(times).toEqual(['2026-12-05T02:15:00Z', '2026-12-12T02:15:00.123456Z']);
  });
});
