// Check-in rules: whether the agent is at the address. Mirrors
// crates/ronda-domain/src/checkin; both pass every vector in spec/checkin, whose README lists
// the thresholds. Times are Unix milliseconds; distances are metres.

import { checkContact, MEXICO_RULE, type ContactRule, type RefusalReason } from './contact.ts';

export interface CheckinRules {
  base_radius_m: number;
  max_accuracy_m: number;
  confidence_allowance_m: number;
  doubtful_clock_offset_ms: number;
  rejected_clock_offset_ms: number;
  max_fix_age_ms: number;
  track_window_ms: number;
  max_speed_kmh: number;
  contact: ContactRule;
}

/** The shipped preset; the day package sends the organization's values. */
export const DEFAULT_CHECKIN_RULES: CheckinRules = {
  base_radius_m: 50,
  max_accuracy_m: 150,
  confidence_allowance_m: 450,
  doubtful_clock_offset_ms: 5 * 60_000,
  rejected_clock_offset_ms: 60 * 60_000,
  max_fix_age_ms: 2 * 60_000,
  track_window_ms: 10 * 60_000,
  max_speed_kmh: 200,
  contact: MEXICO_RULE,
};

/** Zone for contact hours when the address's state is unknown. */
export const FALLBACK_TIME_ZONE = 'America/Mexico_City';

export interface LatLon {
  latitude: number;
  longitude: number;
}

export interface Target {
  /** Verified point, else geocoded point; null while the address needs a pin. */
  point: LatLon | null;
  /** Confidence of the point from 0 to 1; a verified point counts as 1. */
  confidence: number;
  time_zone: string | null;
}

export interface Fix extends LatLon {
  accuracy_m: number;
  /** Fix time on the device clock. */
  fix_time: number;
  mock?: boolean;
}

export type CheckinException = 'pin_correction' | 'address_not_found';

export interface CheckIn {
  fix: Fix;
  /** Device clock at check-in. */
  device_time: number;
  /** Server clock minus device clock, as last measured. */
  server_offset_ms: number;
  exception?: CheckinException | null;
}

export interface TrackFix extends LatLon {
  time: number;
  accuracy_m?: number | null;
  mock?: boolean;
}

export type Reason =
  | { code: 'invalid_fix' }
  | { code: 'no_address_point' }
  | { code: 'poor_accuracy'; accuracy_m: number; max_accuracy_m: number }
  | { code: 'too_far'; distance_m: number; radius_m: number }
  | { code: 'outside_contact_window'; local_time: string; time_zone: string; window: RefusalReason }
  | { code: 'unknown_time_zone'; assumed: string }
  | { code: 'mock_location' }
  | { code: 'stale_fix'; fix_age_ms: number }
  | { code: 'clock_offset'; offset_ms: number }
  | { code: 'impossible_speed'; speed_kmh: number; distance_m: number; elapsed_s: number }
  | { code: 'teleport'; speed_in_kmh: number; speed_out_kmh: number }
  | { code: 'track_not_near'; track_points: number; nearest_m: number }
  | { code: 'track_near'; near_points: number; dwell_s: number }
  | { code: 'no_track' }
  | { code: 'mock_in_track'; points: number }
  | { code: 'exception_declared'; exception: CheckinException };

export type Severity = 'info' | 'doubtful' | 'rejected';
export type VerdictReason = Reason & { severity: Severity };

export interface DeviceDecision {
  decision: 'accepted' | 'refused';
  /** Every refusal reason, in the order the checks run; empty when accepted. */
  reasons: Reason[];
  distance_m: number | null;
  radius_m: number;
  /** Check-in time at the address, RFC 3339 with the zone's offset. */
  local_time: string;
}

export interface Verdict {
  outcome: 'verified' | 'doubtful' | 'rejected';
  reasons: VerdictReason[];
  distance_m: number | null;
  radius_m: number;
  local_time: string;
}

const EARTH_MEAN_RADIUS_M = 6_371_008.8;

/** Haversine distance in metres on the mean-radius sphere, as the Rust side computes it. */
export function haversineM(from: LatLon, to: LatLon): number {
  const latitudeFrom = (from.latitude * Math.PI) / 180;
  const latitudeTo = (to.latitude * Math.PI) / 180;
  const halfDeltaLatitude = (latitudeTo - latitudeFrom) / 2;
  const halfDeltaLongitude = (((to.longitude - from.longitude) * Math.PI) / 180) / 2;
  const haversine =
    Math.sin(halfDeltaLatitude) ** 2 +
    Math.cos(latitudeFrom) * Math.cos(latitudeTo) * Math.sin(halfDeltaLongitude) ** 2;
  return EARTH_MEAN_RADIUS_M * 2 * Math.asin(Math.min(Math.sqrt(haversine), 1));
}

function roundTenth(value: number): number {
  // Rust's f64::round rounds halves away from zero; Math.round rounds them up.
  return (Math.sign(value) * Math.round(Math.abs(value) * 10)) / 10;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}

/** Accepted distance for a fix of `accuracyM` to a point of `confidence`. */
export function radiusM(rules: CheckinRules, accuracyM: number, confidence: number): number {
  const accuracy = clamp(accuracyM, 0, rules.max_accuracy_m);
  return rules.base_radius_m + accuracy + (1 - clamp(confidence, 0, 1)) * rules.confidence_allowance_m;
}

function fixIsValid(fix: Fix): boolean {
  return (
    Number.isFinite(fix.latitude) &&
    Number.isFinite(fix.longitude) &&
    Math.abs(fix.latitude) <= 90 &&
    Math.abs(fix.longitude) <= 180 &&
    Number.isFinite(fix.accuracy_m) &&
    fix.accuracy_m >= 0
  );
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const absolute = Math.abs(minutes);
  const hours = String(Math.floor(absolute / 60)).padStart(2, '0');
  return `${sign}${hours}:${String(absolute % 60).padStart(2, '0')}`;
}

function zoneIsKnown(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

interface ContactHours {
  refusal: Reason | null;
  assumedZone: Reason | null;
  localTime: string;
}

function contactHours(rules: CheckinRules, target: Target, instantMs: number): ContactHours {
  const known = target.time_zone !== null && zoneIsKnown(target.time_zone);
  const zone = known && target.time_zone !== null ? target.time_zone : FALLBACK_TIME_ZONE;
  const assumedZone: Reason | null = known ? null : { code: 'unknown_time_zone', assumed: FALLBACK_TIME_ZONE };
  const result = checkContact(rules.contact, zone, new Date(instantMs));
  const localTime = `${result.localTime.dateTime}${formatOffset(result.localTime.offsetMinutes)}`;
  if (result.outcome === 'allowed') return { refusal: null, assumedZone, localTime };
  return {
    refusal: { code: 'outside_contact_window', local_time: localTime, time_zone: zone, window: result.reason },
    assumedZone,
    localTime,
  };
}

/** Check-in instant on the server's clock. */
export function correctedTime(checkIn: CheckIn): number {
  return checkIn.device_time + checkIn.server_offset_ms;
}

/**
 * Decides whether the agent may check in. Every failing check adds its reason, in this order:
 * a valid fix, mock location, accuracy, fix age, distance, contact hours (device time corrected
 * by the measured server offset).
 */
export function decideOnDevice(rules: CheckinRules, target: Target, checkIn: CheckIn): DeviceDecision {
  const reasons: Reason[] = [];
  const fix = checkIn.fix;
  const radius = roundTenth(radiusM(rules, fix.accuracy_m, target.confidence));
  let distance: number | null = null;

  if (!fixIsValid(fix)) {
    reasons.push({ code: 'invalid_fix' });
  } else {
    if (fix.mock === true) reasons.push({ code: 'mock_location' });
    if (fix.accuracy_m > rules.max_accuracy_m) {
      reasons.push({ code: 'poor_accuracy', accuracy_m: fix.accuracy_m, max_accuracy_m: rules.max_accuracy_m });
    }
    const fixAge = checkIn.device_time - fix.fix_time;
    if (Math.abs(fixAge) > rules.max_fix_age_ms) reasons.push({ code: 'stale_fix', fix_age_ms: fixAge });
    if (target.point === null) {
      reasons.push({ code: 'no_address_point' });
    } else {
      distance = roundTenth(haversineM(target.point, fix));
      if (distance > radius) reasons.push({ code: 'too_far', distance_m: distance, radius_m: radius });
    }
  }

  const contact = contactHours(rules, target, correctedTime(checkIn));
  if (contact.refusal !== null) reasons.push(contact.refusal);
  return {
    decision: reasons.length === 0 ? 'accepted' : 'refused',
    reasons,
    distance_m: distance,
    radius_m: radius,
    local_time: contact.localTime,
  };
}

function deviceReasonSeverity(reason: Reason, checkIn: CheckIn): Severity {
  switch (reason.code) {
    case 'invalid_fix':
    case 'mock_location':
    case 'outside_contact_window':
      return 'rejected';
    case 'too_far':
      return checkIn.exception ? 'doubtful' : 'rejected';
    default:
      return 'doubtful';
  }
}

function clockFinding(rules: CheckinRules, checkIn: CheckIn, receivedAt: number): VerdictReason | null {
  const aheadMs = checkIn.device_time - receivedAt;
  const offset = Math.max(Math.abs(checkIn.server_offset_ms), aheadMs);
  if (offset > rules.rejected_clock_offset_ms) return { code: 'clock_offset', offset_ms: offset, severity: 'rejected' };
  if (offset > rules.doubtful_clock_offset_ms) return { code: 'clock_offset', offset_ms: offset, severity: 'doubtful' };
  return null;
}

function trackFindings(rules: CheckinRules, target: Target, track: TrackFix[], at: number): VerdictReason[] {
  const inWindow = track.filter((point) => Math.abs(point.time - at) <= rules.track_window_ms);
  const findings: VerdictReason[] = [];
  const mockPoints = inWindow.filter((point) => point.mock === true).length;
  if (mockPoints > 0) findings.push({ code: 'mock_in_track', points: mockPoints, severity: 'doubtful' });
  const genuine = inWindow.filter((point) => point.mock !== true);
  if (genuine.length === 0) {
    findings.push({ code: 'no_track', severity: 'info' });
    return findings;
  }
  const address = target.point;
  if (address === null) return findings;
  const near = genuine.filter(
    (point) => haversineM(address, point) <= radiusM(rules, point.accuracy_m ?? 0, target.confidence),
  );
  const first = near[0];
  const last = near[near.length - 1];
  if (first !== undefined && last !== undefined) {
    const dwell = roundTenth((last.time - first.time) / 1000);
    findings.push({ code: 'track_near', near_points: near.length, dwell_s: dwell, severity: 'info' });
  } else {
    const nearest = Math.min(...genuine.map((point) => roundTenth(haversineM(address, point))));
    findings.push({ code: 'track_not_near', track_points: genuine.length, nearest_m: nearest, severity: 'doubtful' });
  }
  return findings;
}

interface Leg {
  speedKmh: number;
  distanceM: number;
  elapsedS: number;
}

function leg(point: TrackFix, fix: Fix, at: number, before: boolean): Leg | null {
  const elapsedS = (before ? at - point.time : point.time - at) / 1000;
  if (elapsedS <= 0) return null;
  const uncertainty = (point.accuracy_m ?? 0) + fix.accuracy_m;
  const distance = Math.max(haversineM(point, fix) - uncertainty, 0);
  return {
    speedKmh: roundTenth((distance / elapsedS) * 3.6),
    distanceM: roundTenth(distance),
    elapsedS: roundTenth(elapsedS),
  };
}

function speedFinding(rules: CheckinRules, checkIn: CheckIn, track: TrackFix[], at: number): VerdictReason | null {
  const genuine = track.filter((point) => point.mock !== true);
  const previous = genuine.filter((point) => point.time < at).at(-1);
  if (previous === undefined) return null;
  const legIn = leg(previous, checkIn.fix, at, true);
  if (legIn === null || legIn.speedKmh <= rules.max_speed_kmh) return null;
  const next = genuine.find((point) => point.time > at);
  const legOut = next === undefined ? null : leg(next, checkIn.fix, at, false);
  if (legOut !== null && legOut.speedKmh > rules.max_speed_kmh) {
    return { code: 'teleport', speed_in_kmh: legIn.speedKmh, speed_out_kmh: legOut.speedKmh, severity: 'rejected' };
  }
  return {
    code: 'impossible_speed',
    speed_kmh: legIn.speedKmh,
    distance_m: legIn.distanceM,
    elapsed_s: legIn.elapsedS,
    severity: 'rejected',
  };
}

const SEVERITY_RANK: Record<Severity, number> = { info: 0, doubtful: 1, rejected: 2 };

/**
 * Computes the server's verdict, mirrored so the app can show the supervisor's view of a visit.
 * The heaviest finding decides the outcome, and every finding is kept.
 */
export function verdict(
  rules: CheckinRules,
  target: Target,
  checkIn: CheckIn,
  receivedAt: number,
  track: TrackFix[],
): Verdict {
  const device = decideOnDevice(rules, target, checkIn);
  const reasons: VerdictReason[] = device.reasons.map((reason) => ({
    ...reason,
    severity: deviceReasonSeverity(reason, checkIn),
  }));
  const contact = contactHours(rules, target, correctedTime(checkIn));
  if (contact.assumedZone !== null) reasons.push({ ...contact.assumedZone, severity: 'info' });
  if (checkIn.exception) reasons.push({ code: 'exception_declared', exception: checkIn.exception, severity: 'doubtful' });
  const clock = clockFinding(rules, checkIn, receivedAt);
  if (clock !== null) reasons.push(clock);

  if (fixIsValid(checkIn.fix)) {
    const valid = track
      .filter((point) => Number.isFinite(point.latitude) && Number.isFinite(point.longitude))
      .filter((point) => Math.abs(point.latitude) <= 90 && Math.abs(point.longitude) <= 180)
      .sort((a, b) => a.time - b.time);
    const at = checkIn.fix.fix_time + checkIn.server_offset_ms;
    reasons.push(...trackFindings(rules, target, valid, at));
    const speed = speedFinding(rules, checkIn, valid, at);
    if (speed !== null) reasons.push(speed);
  }

  const heaviest = Math.max(-1, ...reasons.map((reason) => SEVERITY_RANK[reason.severity]));
  let outcome: Verdict['outcome'] = 'verified';
  if (heaviest === SEVERITY_RANK.rejected) outcome = 'rejected';
  else if (heaviest === SEVERITY_RANK.doubtful) outcome = 'doubtful';
  return { outcome, reasons, distance_m: device.distance_m, radius_m: device.radius_m, local_time: device.local_time };
}
