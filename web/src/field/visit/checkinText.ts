// Inputs for the shared check-in rules from the day package, and the
// refusal reasons in words for the agent.

import type { DayAddress, DayPackage } from '../../shared/field-api';
import type { MessageKey } from '../../shared/i18n';
import { DEFAULT_CHECKIN_RULES, type CheckinRules, type Reason, type Target } from '../../shared/rules/checkin';
import type { ContactRule } from '../../shared/rules/contact';

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** The organization's rules from the day package over the shipped preset. */
export function checkinRules(day: DayPackage): CheckinRules {
  const sent = (day.checkin_rules ?? {}) as Partial<CheckinRules>;
  const window = day.contact_rules;
  const contact: ContactRule =
    sent.contact ??
    (window?.window_start && window.window_end
      ? { jurisdiction: 'MX', window: { start: window.window_start, end: window.window_end } }
      : DEFAULT_CHECKIN_RULES.contact);
  return { ...DEFAULT_CHECKIN_RULES, ...sent, contact };
}

/** A point's confidence from 0 to 1; a verified point counts as 1, an unknown one as 0.5. */
function confidenceOf(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.min(1, Math.max(0, value));
  return 0.5;
}

/**
 * Returns the check-in target of an address. An address without a time zone takes the
 * organization's default zone, as the server's verdict does.
 */
export function targetOf(address: DayAddress, defaultZone: string | null = null): Target {
  const time_zone = address.time_zone || defaultZone || null;
  if (address.verified_point !== null) {
    const { latitude, longitude } = address.verified_point;
    return { point: { latitude, longitude }, confidence: 1, time_zone };
  }
  if (address.point !== null) {
    const { latitude, longitude, confidence } = address.point;
    return { point: { latitude, longitude }, confidence: confidenceOf(confidence), time_zone };
  }
  return { point: null, confidence: 0, time_zone };
}

function formatDistance(metres: number): string {
  return metres >= 1000 ? `${(metres / 1000).toFixed(1)} km` : `${Math.round(metres)} m`;
}

/** "2026-08-07T22:30:00-06:00" → "22:30". */
function clockOf(localTime: string): string {
  return /T(\d{2}:\d{2})/.exec(localTime)?.[1] ?? localTime;
}

export function describeReason(reason: Reason, rules: CheckinRules, t: Translate): string {
  switch (reason.code) {
    case 'too_far':
      return t('field.reason.too_far', { distance: formatDistance(reason.distance_m), radius: formatDistance(reason.radius_m) });
    case 'poor_accuracy':
      return t('field.reason.poor_accuracy', { accuracy: Math.round(reason.accuracy_m), max: Math.round(reason.max_accuracy_m) });
    case 'outside_contact_window':
      return t('field.reason.outside_contact_window', {
        time: clockOf(reason.local_time),
        start: rules.contact.window.start,
        end: rules.contact.window.end,
      });
    case 'stale_fix':
      return t('field.reason.stale_fix', { minutes: Math.round(Math.abs(reason.fix_age_ms) / 60_000) });
    case 'no_address_point':
      return t('field.reason.no_address_point');
    case 'mock_location':
      return t('field.reason.mock_location');
    case 'invalid_fix':
      return t('field.reason.invalid_fix');
    default:
      return t('field.reason.other', { code: reason.code });
  }
}
