// Pure logic of the visits pages: the hash route, answer rows with their
// question labels, verdict reasons as sentences, and the visit's timeline.

import type { Language, MessageKey } from '../../shared/i18n';
import { isMessageKey } from '../../shared/i18n';
import type { QuestionLabel, VerdictReason, VisitDetail, VisitForm } from './api';

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** Zone for times when the address has none: where most agents work. */
export const FALLBACK_ZONE = 'America/Mexico_City';

/** Returns the visit id of a `#/visits/{id}` hash, or `null` for the list or another section. */
export function visitIdFromHash(hash: string): string | null {
  const match = /^#\/?visits\/([^/?#]+)\/?$/.exec(hash);
  if (match === null) return null;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return null;
  }
}

export function visitHash(id: string): string {
  return `#/visits/${encodeURIComponent(id)}`;
}

/** Formats Unix milliseconds as a date and time in `zone`, for the user's language. */
export function formatDateTime(ms: number, language: Language, zone: string | null): string {
  const options: Intl.DateTimeFormatOptions = { dateStyle: 'short', timeStyle: 'medium' };
  try {
    return new Intl.DateTimeFormat(language === 'en' ? 'en-US' : 'es-MX', {
      ...options,
      timeZone: zone ?? FALLBACK_ZONE,
    }).format(new Date(ms));
  } catch {
    return new Date(ms).toISOString();
  }
}

/** Picks the label in the user's language, falling back to the other one. */
export function pickLabel(es: string | null, en: string | null, language: Language): string | null {
  return language === 'en' ? (en ?? es) : (es ?? en);
}

export type AnswerValue = { kind: 'text'; text: string } | { kind: 'file'; sha256: string };

export interface AnswerRow {
  name: string;
  label: string;
  value: AnswerValue;
}

const FILE_TYPES = new Set(['image', 'signature']);

function choiceText(question: QuestionLabel | undefined, name: string, language: Language): string {
  const choice = question?.choices.find((item) => item.name === name);
  return choice ? (pickLabel(choice.label_es, choice.label_en, language) ?? name) : name;
}

/** Returns the label of the form's choice `value` for the question `name`, or the value itself. */
export function answerChoiceText(form: VisitForm, name: string, value: string, language: Language): string {
  return choiceText(
    form.questions.find((question) => question.name === name),
    value,
    language,
  );
}

function textOf(question: QuestionLabel | undefined, answer: unknown, language: Language): string {
  if (question?.type === 'select_one' && typeof answer === 'string') {
    return choiceText(question, answer, language);
  }
  if (question?.type === 'select_multiple') {
    const names = Array.isArray(answer) ? answer.map(String) : String(answer).split(' ').filter(Boolean);
    return names.map((name) => choiceText(question, name, language)).join(', ');
  }
  if (typeof answer === 'string') return answer;
  if (typeof answer === 'number' || typeof answer === 'boolean') return String(answer);
  return JSON.stringify(answer);
}

function isEmpty(answer: unknown): boolean {
  return answer === undefined || answer === null || answer === '' || (Array.isArray(answer) && answer.length === 0);
}

/**
 * Lists every answer with its question label: the form's questions first, in
 * form order, then any answer the form does not describe under its own name.
 * Calculations without a label are left out.
 */
export function answerRows(detail: Pick<VisitDetail, 'answers' | 'form'>, language: Language): AnswerRow[] {
  const rows: AnswerRow[] = [];
  const seen = new Set<string>();
  for (const question of detail.form.questions) {
    const answer = detail.answers[question.name];
    seen.add(question.name);
    if (isEmpty(answer)) continue;
    const labelled = pickLabel(question.label_es, question.label_en, language);
    // A calculation without a label is the form's own bookkeeping, such as the overdue
    // amount it checks a promise against, not something the agent answered.
    if (labelled === null && question.type === 'calculate') continue;
    const label = labelled ?? question.name;
    const value: AnswerValue =
      FILE_TYPES.has(question.type) && typeof answer === 'string'
        ? { kind: 'file', sha256: answer }
        : { kind: 'text', text: textOf(question, answer, language) };
    rows.push({ name: question.name, label, value });
  }
  for (const [name, answer] of Object.entries(detail.answers)) {
    if (seen.has(name) || isEmpty(answer)) continue;
    rows.push({ name, label: name, value: { kind: 'text', text: textOf(undefined, answer, language) } });
  }
  return rows;
}

function metres(value: unknown): string {
  return typeof value === 'number' ? `${Math.round(value)} m` : '?';
}

function whole(value: unknown): string {
  return typeof value === 'number' ? String(Math.round(value)) : '?';
}

/** Turns one verdict finding into a sentence with its measured values. */
export function reasonText(reason: VerdictReason, t: Translate): string {
  const params: Record<string, string | number> = {
    distance: metres(reason.distance_m),
    radius: metres(reason.radius_m),
    accuracy: metres(reason.accuracy_m),
    max: metres(reason.max_accuracy_m),
    time: typeof reason.local_time === 'string' ? reason.local_time.slice(11, 16) : '?',
    zone: typeof reason.time_zone === 'string' ? reason.time_zone : '?',
    assumed: typeof reason.assumed === 'string' ? reason.assumed : '?',
    minutes: typeof reason.fix_age_ms === 'number' ? Math.round(reason.fix_age_ms / 60_000) : '?',
    offset: typeof reason.offset_ms === 'number' ? Math.round(Math.abs(reason.offset_ms) / 1000) : '?',
    speed: whole(reason.speed_kmh),
    speedIn: whole(reason.speed_in_kmh),
    speedOut: whole(reason.speed_out_kmh),
    points: whole(reason.track_points ?? reason.near_points ?? reason.points),
    nearest: metres(reason.nearest_m),
    dwell: typeof reason.dwell_s === 'number' ? Math.round(reason.dwell_s / 60) : '?',
    exception: typeof reason.exception === 'string' ? reason.exception : '?',
    code: reason.code,
  };
  if (reason.code === 'exception_declared' && typeof reason.exception === 'string') {
    const key = `visits.exception.${reason.exception}`;
    if (isMessageKey(key)) params.exception = t(key);
  }
  const key = `visits.reason.${reason.code}`;
  return isMessageKey(key) ? t(key, params) : t('visits.reason.other', params);
}

export interface TimelineEntry {
  at: number;
  label: string;
}

/** Orders what happened to the visit: device times, server times, events and the pin decision. */
export function timeline(detail: VisitDetail, t: Translate): TimelineEntry[] {
  const entries: TimelineEntry[] = [
    { at: detail.started_at, label: t('visits.timeline.started') },
    { at: detail.check_in.fix_time, label: t('visits.timeline.checkIn') },
    { at: detail.finished_at, label: t('visits.timeline.finished') },
    { at: detail.received_at, label: t('visits.timeline.received') },
  ];
  if (detail.completed_at !== null) {
    entries.push({ at: detail.completed_at, label: t('visits.timeline.completed') });
  }
  for (const event of detail.events) {
    const key = `notify.kind.${event.kind}`;
    const name = isMessageKey(key) ? t(key) : event.kind;
    entries.push({ at: event.created_at, label: t('visits.timeline.event', { name }) });
  }
  const pin = detail.pin_correction;
  if (pin !== null && pin.decided_at !== null) {
    const key = pin.state === 'approved' ? 'visits.timeline.pinApproved' : 'visits.timeline.pinRejected';
    entries.push({ at: pin.decided_at, label: t(key) });
  }
  return entries.sort((a, b) => a.at - b.at);
}

/** Formats cents as Mexican pesos. */
export function formatPesos(cents: number, language: Language): string {
  return new Intl.NumberFormat(language === 'en' ? 'en-US' : 'es-MX', { style: 'currency', currency: 'MXN' }).format(
    cents / 100,
  );
}

/** Names an audit action in the user's language, or shows the action as stored. */
export function auditActionText(action: string, t: Translate): string {
  const key = `visits.audit.${action}`;
  return isMessageKey(key) ? t(key) : action;
}
