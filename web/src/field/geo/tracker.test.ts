import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { openFieldDb } from '../storage/schema';
import { TrackingStore } from '../storage/tracking';
import { Tracker, type TrackerStatus } from './tracker';

type Success = (position: GeolocationPosition) => void;

function position(latitude: number, time: number, accuracy = 9, speed: number | null = null): GeolocationPosition {
  return {
    coords: { latitude, longitude: -99.13, accuracy, altitude: null, altitudeAccuracy: null, heading: null, speed },
    timestamp: time,
  } as unknown as GeolocationPosition;
}

function fakeDevice() {
  const watchers: Success[] = [];
  const geolocation = {
    watchPosition: (success: Success) => watchers.push(success),
    clearWatch: () => watchers.splice(0),
    getCurrentPosition: () => undefined,
  };
  Object.defineProperty(navigator, 'geolocation', { value: geolocation, configurable: true });
  Object.defineProperty(navigator, 'getBattery', {
    value: () => Promise.resolve({ level: 0.42, charging: false }),
    configurable: true,
  });
  return { emit: (p: GeolocationPosition) => watchers.forEach((w) => w(p)), watchers };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('tracker', () => {
  let tracker: Tracker | null = null;
  afterEach(() => tracker?.stop());

  it('records thinned fixes with speed and battery', async () => {
    const device = fakeDevice();
    const store = new TrackingStore(await openFieldDb(new IDBFactory()));
    const statuses: TrackerStatus[] = [];
    tracker = new Tracker(store, () => undefined, (status) => statuses.push(status));
    tracker.start();
    await flush();

    device.emit(position(19.43, 1_000_000, 9, 1.5));
    await flush();
    // 5 s later and about 1 m away: skipped.
    device.emit(position(19.43001, 1_005_000));
    await flush();
    // 5 s later but about 110 m away: kept.
    device.emit(position(19.431, 1_010_000));
    await flush();
    // 20 s later without moving: kept.
    device.emit(position(19.431, 1_030_000));
    await flush();

    const batch = await store.positionBatch(10);
    expect(batch.fixes.map((f) => f.fix_time)).toEqual([1_000_000, 1_010_000, 1_030_000]);
    expect(batch.fixes[0]).toEqual({
      fix_time: 1_000_000, latitude: 19.43, longitude: -99.13, accuracy_m: 9, speed_mps: 1.5, battery_pct: 42, charging: false,
    });
    expect(statuses.at(-1)?.lastFix?.fix_time).toBe(1_030_000);
  });

  it('stops watching when stopped', async () => {
    const device = fakeDevice();
    const store = new TrackingStore(await openFieldDb(new IDBFactory()));
    tracker = new Tracker(store, () => undefined, () => undefined);
    tracker.start();
    expect(tracker.running).toBe(true);
    tracker.stop();
    expect(tracker.running).toBe(false);
    expect(device.watchers).toHaveLength(0);
  });

  it('uploads first fix at once', async () => {
    const device = fakeDevice();
    const store = new TrackingStore(await openFieldDb(new IDBFactory()));
    let uploads = 0;
    tracker = new Tracker(store, () => (uploads += 1), () => undefined);
    tracker.start();
    await flush();
    expect(uploads).toBe(0);

    device.emit(position(19.43, 1_000_000));
    await flush();
    expect(uploads).toBe(1);
    expect((await store.positionBatch(10)).fixes).toHaveLength(1);
    device.emit(position(19.431, 1_020_000));
    await flush();
    expect(uploads).toBe(1);

    tracker.stop();
    tracker.start();
    device.emit(position(19.432, 1_040_000));
    await flush();
    expect(uploads).toBe(2);
  });
});
