// Check-in at the address: a fresh GPS fix, the shared on-device rules, and
// when they refuse, the reasons and what the agent can do about them.

import { useState } from 'preact/hooks';
import type { CheckInBody, DayPackage, DayStop } from '../../shared/field-api';
import type { MessageKey } from '../../shared/i18n';
import { useI18n } from '../../shared/ui/i18n-context';
import { decideOnDevice, type DeviceDecision } from '../../shared/rules/checkin';
import { freshFix, FixFailure, type Fix } from '../geo/fix';
import { DEFAULT_MAX_PIXELS, resizePhoto } from '../form/image';
import { checkinRules, describeReason, targetOf } from './checkinText';

const GOOD_ACCURACY_M = 25;
const FIX_TIMEOUT_MS = 30_000;

export interface PinPhoto {
  data: ArrayBuffer;
  contentType: string;
}

interface Props {
  day: DayPackage;
  stop: DayStop;
  serverOffsetMs: number;
  /** Called with the check-in to store; `pinPhoto` only for a proposed pin correction. */
  onCheckedIn: (checkIn: CheckInBody, pinPhoto: PinPhoto | null) => Promise<void>;
}

type Step =
  | { kind: 'idle' }
  | { kind: 'locating'; best: Fix | null }
  | { kind: 'failed'; reason: FixFailure['reason'] }
  | { kind: 'refused'; fix: Fix; deviceTime: number; decision: DeviceDecision };

export function CheckIn(props: Props) {
  const { t } = useI18n();
  const [step, setStep] = useState<Step>({ kind: 'idle' });
  const [saving, setSaving] = useState(false);
  const [photoError, setPhotoError] = useState<MessageKey | null>(null);
  const rules = checkinRules(props.day);
  const target = targetOf(props.stop.address, props.day.contact_rules.default_time_zone ?? null);

  const body = (fix: Fix, deviceTime: number, decision: DeviceDecision): CheckInBody => ({
    fix: { latitude: fix.latitude, longitude: fix.longitude, accuracy_m: fix.accuracy_m, fix_time: fix.fix_time },
    device_time: deviceTime,
    server_offset_ms: props.serverOffsetMs,
    on_device: { decision: decision.decision, reasons: decision.reasons },
  });

  const locate = async () => {
    setStep({ kind: 'locating', best: null });
    let fix: Fix;
    try {
      fix = await freshFix({
        goodAccuracyM: GOOD_ACCURACY_M,
        timeoutMs: FIX_TIMEOUT_MS,
        onProgress: (best) => setStep({ kind: 'locating', best }),
      });
    } catch (error) {
      setStep({ kind: 'failed', reason: error instanceof FixFailure ? error.reason : 'unavailable' });
      return;
    }
    const deviceTime = Date.now();
    const decision = decideOnDevice(rules, target, {
      fix: { latitude: fix.latitude, longitude: fix.longitude, accuracy_m: fix.accuracy_m, fix_time: fix.fix_time },
      device_time: deviceTime,
      server_offset_ms: props.serverOffsetMs,
    });
    if (decision.decision === 'accepted') {
      await save(body(fix, deviceTime, decision), null);
    } else {
      setStep({ kind: 'refused', fix, deviceTime, decision });
    }
  };

  const save = async (checkIn: CheckInBody, photo: PinPhoto | null) => {
    setSaving(true);
    try {
      await props.onCheckedIn(checkIn, photo);
    } finally {
      setSaving(false);
    }
  };

  const proposePin = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    if (file === undefined || step.kind !== 'refused') return;
    setPhotoError(null);
    let photo;
    try {
      photo = await resizePhoto(file, DEFAULT_MAX_PIXELS);
    } catch (failure) {
      console.warn('The pin photo could not be decoded', failure);
      setPhotoError('field.photo.unreadable');
      input.value = '';
      return;
    }
    const checkIn = body(step.fix, step.deviceTime, step.decision);
    checkIn.exception = 'pin_correction';
    checkIn.proposed_point = { latitude: step.fix.latitude, longitude: step.fix.longitude };
    try {
      await save(checkIn, { data: photo.data, contentType: photo.contentType });
    } catch (failure) {
      console.error('The pin photo could not be stored', failure);
      setPhotoError('field.photo.notSaved');
      input.value = '';
    }
  };

  const notFound = async () => {
    if (step.kind !== 'refused') return;
    const checkIn = body(step.fix, step.deviceTime, step.decision);
    checkIn.exception = 'address_not_found';
    await save(checkIn, null);
  };

  // Outside the contact hours no exception applies: the visit must wait.
  const hourRefusal = step.kind === 'refused' && step.decision.reasons.some((r) => r.code === 'outside_contact_window');

  return (
    <section class="checkin" aria-labelledby="checkin-title">
      <h2 id="checkin-title">{t('field.checkin.title')}</h2>
      {step.kind === 'idle' ? <p>{t('field.checkin.intro')}</p> : null}
      {step.kind === 'locating' ? (
        <p role="status">
          {step.best === null
            ? t('field.checkin.locating')
            : t('field.checkin.improving', { accuracy: Math.round(step.best.accuracy_m) })}
        </p>
      ) : null}
      {step.kind === 'failed' ? (
        <p role="alert" class="form-error">
          {t(`field.checkin.fix.${step.reason}`)}
        </p>
      ) : null}
      {step.kind === 'refused' ? (
        <div role="alert" class="refusal">
          <p class="refusal__title">{t('field.checkin.refused')}</p>
          <ul>
            {step.decision.reasons.map((reason, index) => (
              <li key={index}>{describeReason(reason, rules, t)}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {photoError !== null ? (
        <p role="alert" class="form-error">
          {t(photoError)}
        </p>
      ) : null}
      <div class="stack">
        <button
          type="button"
          class="button button--primary button--block"
          onClick={() => void locate()}
          disabled={step.kind === 'locating' || saving}
        >
          {step.kind === 'idle' ? t('field.checkin.start') : t('field.checkin.retry')}
        </button>
        {step.kind === 'refused' && !hourRefusal ? (
          <>
            <label class="button button--block file-button">
              {t('field.checkin.proposePin')}
              <input
                type="file"
                accept="image/*"
                capture="environment"
                class="visually-hidden"
                disabled={saving}
                onChange={(e) => void proposePin(e.currentTarget)}
              />
            </label>
            <button type="button" class="button button--block" onClick={() => void notFound()} disabled={saving}>
              {t('field.checkin.notFound')}
            </button>
          </>
        ) : null}
      </div>
    </section>
  );
}
