// A fresh position for check-in: watch the GPS until a fix is accurate
// enough or the time runs out, then keep the best fix seen. `maximumAge: 0`
// keeps cached positions out.

export interface Fix {
  latitude: number;
  longitude: number;
  accuracy_m: number;
  fix_time: number;
  speed_mps: number | null;
  bearing: number | null;
  altitude: number | null;
}

export type FixError = 'denied' | 'unavailable' | 'timeout' | 'unsupported';

export interface FreshFixOptions {
  /** Stop as soon as a fix is at least this accurate, metres. */
  goodAccuracyM: number;
  timeoutMs: number;
  geolocation?: Geolocation;
  onProgress?: (best: Fix) => void;
}

export function toFix(position: GeolocationPosition): Fix {
  const c = position.coords;
  return {
    latitude: c.latitude,
    longitude: c.longitude,
    accuracy_m: c.accuracy,
    fix_time: Math.round(position.timestamp),
    speed_mps: c.speed ?? null,
    bearing: c.heading ?? null,
    altitude: c.altitude ?? null,
  };
}

export class FixFailure extends Error {
  constructor(readonly reason: FixError) {
    super(`No position: ${reason}`);
    this.name = 'FixFailure';
  }
}

export function freshFix(options: FreshFixOptions): Promise<Fix> {
  const geolocation = options.geolocation ?? (typeof navigator === 'undefined' ? undefined : navigator.geolocation);
  if (geolocation === undefined) {
    return Promise.reject(new FixFailure('unsupported'));
  }
  return new Promise((resolve, reject) => {
    let best: Fix | null = null;
    let done = false;
    const finish = (outcome: () => void) => {
      if (done) return;
      done = true;
      geolocation.clearWatch(watchId);
      clearTimeout(timer);
      outcome();
    };
    const watchId = geolocation.watchPosition(
      (position) => {
        const fix = toFix(position);
        if (best === null || fix.accuracy_m < best.accuracy_m) {
          best = fix;
          options.onProgress?.(fix);
        }
        if (fix.accuracy_m <= options.goodAccuracyM) {
          finish(() => resolve(fix));
        }
      },
      (error) => {
        if (error.code === error.PERMISSION_DENIED) {
          finish(() => reject(new FixFailure('denied')));
        }
        // Unavailable and timeout errors may clear up while the watch goes on.
      },
      { enableHighAccuracy: true, maximumAge: 0, timeout: options.timeoutMs },
    );
    const timer = setTimeout(() => {
      finish(() => (best === null ? reject(new FixFailure('timeout')) : resolve(best)));
    }, options.timeoutMs);
  });
}
