import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FixFailure, freshFix } from './fix';

/** A geolocation the test drives: it hands fixes and errors to the open watch. */
class FakeGeolocation {
  success: PositionCallback | null = null;
  failure: PositionErrorCallback | null = null;
  cleared: number[] = [];

  watchPosition(success: PositionCallback, failure?: PositionErrorCallback | null): number {
    this.success = success;
    this.failure = failure ?? null;
    return 7;
  }

  clearWatch(id: number): void {
    this.cleared.push(id);
  }

  getCurrentPosition(): void {
    throw new Error('freshFix must watch, not read once');
  }

  give(accuracy: number, latitude = 19.43): void {
    this.success!({
      coords: { latitude, longitude: -99.13, accuracy, altitude: null, altitudeAccuracy: null, heading: null, speed: null },
      timestamp: Date.now(),
    } as unknown as GeolocationPosition);
  }

  fail(code: number): void {
    this.failure!({ code, message: 'fake', PERMISSION_DENIED: 1, POSITION_UNAVAILABLE: 2, TIMEOUT: 3 } as GeolocationPositionError);
  }

  asGeolocation(): Geolocation {
    return this as unknown as Geolocation;
  }
}

describe('fresh fix', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps watching past a 300 m fix and returns the 10 m one', async () => {
    const geo = new FakeGeolocation();
    const progress: number[] = [];
    let settled = false;
    const result = freshFix({ goodAccuracyM: 25, timeoutMs: 30_000, geolocation: geo.asGeolocation(), onProgress: (f) => progress.push(f.accuracy_m) });
    void result.then(() => (settled = true));
    geo.give(300, 19.5);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(settled).toBe(false);
    expect(geo.cleared).toEqual([]);
    geo.give(10, 19.43);
    const fix = await result;
    expect(fix.accuracy_m).toBe(10);
    expect(fix.latitude).toBe(19.43);
    expect(progress).toEqual([300, 10]);
    expect(geo.cleared).toEqual([7]);
  });

  it('returns the best of the bad fixes when the time runs out', async () => {
    const geo = new FakeGeolocation();
    const result = freshFix({ goodAccuracyM: 25, timeoutMs: 30_000, geolocation: geo.asGeolocation() });
    geo.give(300);
    geo.give(80, 19.44);
    geo.give(150);
    geo.fail(2); // unavailable for a moment: the watch goes on
    await vi.advanceTimersByTimeAsync(29_999);
    expect(geo.cleared).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    const fix = await result;
    expect(fix.accuracy_m).toBe(80);
    expect(fix.latitude).toBe(19.44);
    expect(geo.cleared).toEqual([7]);
  });

  it('fails with timeout when no fix came at all', async () => {
    const geo = new FakeGeolocation();
    const result = freshFix({ goodAccuracyM: 25, timeoutMs: 30_000, geolocation: geo.asGeolocation() });
    const caught = result.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(30_000);
    const error = await caught;
    expect(error).toBeInstanceOf(FixFailure);
    expect((error as FixFailure).reason).toBe('timeout');
  });

  it('stops at once when the agent refuses the permission', async () => {
    const geo = new FakeGeolocation();
    const result = freshFix({ goodAccuracyM: 25, timeoutMs: 30_000, geolocation: geo.asGeolocation() });
    geo.fail(1);
    await expect(result).rejects.toMatchObject({ reason: 'denied' });
    expect(geo.cleared).toEqual([7]);
  });
});
