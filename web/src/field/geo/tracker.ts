// Records positions while the agent is clocked in and the app is open.
// Fixes are thinned (one every 15 s unless the agent moved 30 m) and stored
// in IndexedDB. The sync engine uploads them in batches every minute. The first
// fix of a shift goes at once, so the supervisor's map shows the agent from the start.

import type { PositionFix } from '../../shared/field-api';
import type { TrackingStore } from '../storage/tracking';
import { distanceM } from './distance';
import { toFix } from './fix';

const MIN_INTERVAL_MS = 15_000;
const MIN_DISTANCE_M = 30;
const UPLOAD_EVERY_MS = 60_000;

interface BatteryManagerLike {
  level: number;
  charging: boolean;
}

type NavigatorWithBattery = Navigator & { getBattery?: () => Promise<BatteryManagerLike> };

export interface TrackerStatus {
  lastFix: PositionFix | null;
  error: 'denied' | 'unavailable' | null;
}

export class Tracker {
  private watchId: number | null = null;
  private uploadTimer: ReturnType<typeof setInterval> | null = null;
  private battery: BatteryManagerLike | null = null;
  private last: PositionFix | null = null;
  private uploadedFirst = false;

  constructor(
    private readonly store: TrackingStore,
    private readonly upload: () => void,
    private readonly onStatus: (status: TrackerStatus) => void,
  ) {}

  get running(): boolean {
    return this.watchId !== null;
  }

  start(): void {
    if (this.watchId !== null || typeof navigator === 'undefined' || !navigator.geolocation) return;
    this.uploadedFirst = false;
    const nav = navigator as NavigatorWithBattery;
    nav.getBattery?.().then(
      (battery) => {
        this.battery = battery;
      },
      () => undefined,
    );
    this.watchId = navigator.geolocation.watchPosition(
      (position) => void this.record(position),
      (error) => this.onStatus({ lastFix: this.last, error: error.code === error.PERMISSION_DENIED ? 'denied' : 'unavailable' }),
      { enableHighAccuracy: true, maximumAge: 5_000 },
    );
    this.uploadTimer = setInterval(this.upload, UPLOAD_EVERY_MS);
  }

  stop(): void {
    if (this.watchId !== null) navigator.geolocation.clearWatch(this.watchId);
    if (this.uploadTimer !== null) clearInterval(this.uploadTimer);
    this.watchId = null;
    this.uploadTimer = null;
  }

  private async record(position: GeolocationPosition): Promise<void> {
    const fix = toFix(position);
    const previous = this.last;
    if (
      previous !== null &&
      fix.fix_time - previous.fix_time < MIN_INTERVAL_MS &&
      distanceM(previous, fix) < MIN_DISTANCE_M
    ) {
      return;
    }
    const stored: PositionFix = {
      fix_time: fix.fix_time,
      latitude: fix.latitude,
      longitude: fix.longitude,
      accuracy_m: fix.accuracy_m,
    };
    if (fix.speed_mps !== null && Number.isFinite(fix.speed_mps)) stored.speed_mps = fix.speed_mps;
    if (fix.bearing !== null && Number.isFinite(fix.bearing)) stored.bearing = fix.bearing;
    if (fix.altitude !== null && Number.isFinite(fix.altitude)) stored.altitude = fix.altitude;
    if (this.battery !== null) {
      stored.battery_pct = Math.round(this.battery.level * 100);
      stored.charging = this.battery.charging;
    }
    this.last = stored;
    await this.store.addPosition(stored);
    // After the write, so that screens reading the device database count the new fix.
    this.onStatus({ lastFix: stored, error: null });
    if (!this.uploadedFirst) {
      this.uploadedFirst = true;
      this.upload();
    }
  }
}
