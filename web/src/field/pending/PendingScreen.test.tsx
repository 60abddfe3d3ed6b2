import { IDBFactory } from 'fake-indexeddb';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FieldApi } from '../../shared/field-api';
import { LanguageStore } from '../../shared/i18n';
import { I18nProvider } from '../../shared/ui/i18n-context';
import { Changes, ServicesContext, type FieldServices } from '../services';
import { Outbox } from '../storage/outbox';
import { openFieldDb } from '../storage/schema';
import { TrackingStore } from '../storage/tracking';
import { SyncEngine } from '../sync/engine';
import { FakeFieldServer } from '../sync/fake-server';
import type { ExportFile } from './exportFile';
import { PendingScreen } from './PendingScreen';

async function setup() {
  const db = await openFieldDb(new IDBFactory());
  const outbox = new Outbox(db);
  const tracking = new TrackingStore(db);
  const api = new FieldApi({ fetch: new FakeFieldServer().fetch });
  const services: FieldServices = {
    db, outbox, tracking, api, changes: new Changes(), lastSync: { report: null, at: null },
    sync: new SyncEngine({ outbox, tracking, transport: api }),
  };
  return { services, outbox, tracking };
}

function mount(services: FieldServices) {
  const container = document.createElement('div');
  document.body.append(container);
  render(
    <I18nProvider store={new LanguageStore('es')}>
      <ServicesContext.Provider value={services}>
        <PendingScreen online={false} />
      </ServicesContext.Provider>
    </I18nProvider>,
    container,
  );
  return container;
}

async function settle() {
  for (let i = 0; i < 5; i++) {
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
    });
  }
}

/** Catches the file the export button hands to the browser. */
function catchDownload() {
  const caught: { name: string | null; blob: Blob | null } = { name: null, blob: null };
  vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
    caught.blob = blob as Blob;
    return 'blob:ronda-test';
  });
  vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    caught.name = this.download;
  });
  return caught;
}

describe('pending screen', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    document.body.innerHTML = '';
  });

  it('exports the unsent visit, shift and positions to a file', async () => {
    const { services, outbox, tracking } = await setup();
    const draft = await outbox.createDraft({
      assignment_id: 'as-1', account_id: 'acc-1', address_id: 'addr-1', form_version_id: 'fv-1', label: 'Juana Pérez',
      started_at: 1, check_in: null,
    });
    await outbox.saveAnswers(draft.id, { notes: 'Nadie abrió' });
    const shift = await tracking.clockIn(1_000);
    await tracking.addPosition({ fix_time: 1_500, latitude: 19.43, longitude: -99.13, accuracy_m: 9 });
    const caught = catchDownload();

    const container = mount(services);
    await settle();
    expect(container.textContent).toContain('Juana Pérez');
    const button = [...container.querySelectorAll('button')].find((b) => b.textContent === 'Exportar a un archivo');
    expect(button?.disabled).toBe(false);
    await act(async () => button!.click());
    await settle();

    expect(caught.name).toMatch(/^ronda-pendientes-.*\.json$/);
    const file = JSON.parse(await caught.blob!.text()) as ExportFile;
    expect(file.visits.map((v) => v.record.id)).toEqual([draft.id]);
    expect(file.visits[0]?.record.answers).toEqual({ notes: 'Nadie abrió' });
    expect(file.shifts.map((s) => s.id)).toEqual([shift.id]);
    expect(file.positions).toEqual([{ fix_time: 1_500, latitude: 19.43, longitude: -99.13, accuracy_m: 9 }]);
  });

  it('exports positions alone when no visit waits', async () => {
    const { services, tracking } = await setup();
    await tracking.addPosition({ fix_time: 2_000, latitude: 19.43, longitude: -99.13, accuracy_m: 9 });
    const caught = catchDownload();
    const container = mount(services);
    await settle();
    const button = [...container.querySelectorAll('button')].find((b) => b.textContent === 'Exportar a un archivo');
    expect(button?.disabled).toBe(false);
    await act(async () => button!.click());
    await settle();
    const file = JSON.parse(await caught.blob!.text()) as ExportFile;
    expect(file.visits).toEqual([]);
    expect(file.positions.map((p) => p.fix_time)).toEqual([2_000]);
  });
});
