import { IDBFactory } from 'fake-indexeddb';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { useState } from 'preact/hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { LanguageStore, type Language } from '../../shared/i18n';
import { I18nProvider } from '../../shared/ui/i18n-context';
import { ShiftBar } from '../day/ShiftBar';
import { Changes, ServicesContext, type FieldServices } from '../services';
import { openFieldDb } from '../storage/schema';
import { TrackingStore } from '../storage/tracking';
import { TrackingIndicator, TrackingProvider } from './TrackingProvider';

type Success = (position: GeolocationPosition) => void;

function position(latitude: number, time: number, accuracy: number): GeolocationPosition {
  return {
    coords: { latitude, longitude: -99.13, accuracy, altitude: null, altitudeAccuracy: null, heading: null, speed: null },
    timestamp: time,
  } as unknown as GeolocationPosition;
}

function fakeGeolocation() {
  const watchers = new Map<number, Success>();
  let next = 1;
  const geolocation = {
    watchPosition: (success: Success) => {
      watchers.set(next, success);
      return next++;
    },
    clearWatch: (id: number) => watchers.delete(id),
    getCurrentPosition: () => undefined,
  };
  Object.defineProperty(navigator, 'geolocation', { value: geolocation, configurable: true });
  return { emit: (p: GeolocationPosition) => watchers.forEach((w) => w(p)), watchers };
}

async function flush(): Promise<void> {
  for (let round = 0; round < 4; round++) {
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
    });
  }
}

let showScreen: (screen: 'day' | 'visit') => void = () => undefined;

/** Stands in for the router: "day" has the shift buttons, "visit" does not. */
function Screens() {
  const [screen, setScreen] = useState<'day' | 'visit'>('day');
  showScreen = setScreen;
  return screen === 'day' ? <ShiftBar /> : <p>visita</p>;
}

async function mountShell(language: Language) {
  const tracking = new TrackingStore(await openFieldDb(new IDBFactory()));
  const changes = new Changes();
  let syncs = 0;
  const services = {
    tracking,
    changes,
    sync: {
      sync: async () => {
        syncs += 1;
      },
    },
  } as unknown as FieldServices;
  const container = document.createElement('div');
  document.body.append(container);
  render(
    <I18nProvider store={new LanguageStore(language)}>
      <ServicesContext.Provider value={services}>
        <TrackingProvider>
          <header>
            <TrackingIndicator />
          </header>
          <Screens />
        </TrackingProvider>
      </ServicesContext.Provider>
    </I18nProvider>,
    container,
  );
  await flush();
  return { container, tracking, changes, syncs: () => syncs };
}

function clickButton(container: HTMLElement, text: string): Promise<void> {
  const found = Array.from(container.querySelectorAll('button')).find((b) => b.textContent?.trim() === text);
  if (found === undefined) throw new Error(`no button ${text}`);
  return act(async () => found.click());
}

afterEach(() => {
  render(null, document.body);
  document.body.innerHTML = '';
});

describe('TrackingProvider', () => {
  it('records after leaving day screen', async () => {
    const device = fakeGeolocation();
    const { container, tracking } = await mountShell('es');
    expect(device.watchers.size).toBe(0);
    expect(container.querySelector('header')?.textContent).toBe('');

    await clickButton(container, 'Iniciar jornada');
    await flush();
    expect(device.watchers.size).toBe(1);
    device.emit(position(19.43, 1_000_000, 9));
    await flush();

    await act(async () => showScreen('visit'));
    await flush();
    expect(container.textContent).not.toContain('Terminar jornada');
    expect(device.watchers.size).toBe(1);
    device.emit(position(19.431, 1_020_000, 12));
    device.emit(position(19.432, 1_040_000, 15));
    await flush();

    const batch = await tracking.positionBatch(10);
    expect(batch.fixes.map((fix) => fix.fix_time)).toEqual([1_000_000, 1_020_000, 1_040_000]);
    const header = container.querySelector('header [role="status"]');
    expect(header?.textContent).toContain('Jornada iniciada: registrando tu ubicación.');
    expect(header?.textContent).toContain('±15 m');
  });

  it('announces each stored fix', async () => {
    const device = fakeGeolocation();
    const { container, tracking, changes } = await mountShell('es');
    await clickButton(container, 'Iniciar jornada');
    await flush();
    const counts: Promise<number>[] = [];
    changes.subscribe(() => counts.push(tracking.countPositions()));

    device.emit(position(19.43, 1_000_000, 9));
    await flush();
    expect(await Promise.all(counts)).toEqual([1]);
  });

  it('stops watching at clock-out', async () => {
    const device = fakeGeolocation();
    const { container } = await mountShell('es');
    await clickButton(container, 'Iniciar jornada');
    await flush();
    expect(device.watchers.size).toBe(1);

    await clickButton(container, 'Terminar jornada');
    await flush();
    expect(device.watchers.size).toBe(0);
    expect(container.querySelector('header [role="status"]')).toBeNull();
    expect(container.textContent).toContain('Jornada sin iniciar.');
  });

  it('stops watching when the shell unmounts', async () => {
    const device = fakeGeolocation();
    const { container } = await mountShell('es');
    await clickButton(container, 'Iniciar jornada');
    await flush();
    expect(device.watchers.size).toBe(1);

    await act(async () => render(null, container));
    expect(device.watchers.size).toBe(0);
  });

  it('formats last fix in app language', async () => {
    const fixTime = Date.UTC(2026, 11, 5, 20, 5);
    for (const [language, pattern, text] of [
      ['es', /[ap]\.\s?m\./, 'Jornada iniciada'],
      ['en', /[AP]M/, 'Shift started'],
    ] as const) {
      const device = fakeGeolocation();
      const { container } = await mountShell(language);
      await clickButton(container, language === 'es' ? 'Iniciar jornada' : 'Start shift');
      await flush();
      device.emit(position(19.43, fixTime, 9));
      await flush();
      const status = container.querySelector('header [role="status"]')?.textContent ?? '';
      expect(status).toContain(text);
      expect(status).toMatch(pattern);
      render(null, container);
      container.remove();
    }
  });
});
