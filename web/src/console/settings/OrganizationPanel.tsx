// Organization settings: display name, default time zone, contact hours (daily
// window, per-weekday windows, holidays) and tracking outside shifts. Every
// console role reads them, and only admins see the controls, as the server allows.

import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../../shared/api';
import { describeError } from '../../shared/errors';
import type { Weekday, WeekdayWindow } from '../../shared/rules/contact';
import { useI18n } from '../../shared/ui/i18n-context';
import { organizationApi, type OrganizationSettings, type OrganizationUpdate } from './organizationApi';

export const WEEKDAYS: readonly Weekday[] = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

type Message = { kind: 'ok' | 'error'; text: string } | null;

function draftOf(settings: OrganizationSettings): OrganizationUpdate {
  const rule = settings.contact_rule;
  return {
    display_name: settings.display_name,
    default_time_zone: settings.default_time_zone,
    contact_rule: { window: { ...rule.window }, weekdays: rule.weekdays ?? [], holidays: rule.holidays ?? [] },
    track_outside_shifts: settings.track_outside_shifts,
  };
}

export function OrganizationPanel(props: { api: ApiClient; canEdit: boolean }) {
  const { api, canEdit } = props;
  const { t } = useI18n();
  const [settings, setSettings] = useState<OrganizationSettings | null>(null);
  const [draft, setDraft] = useState<OrganizationUpdate | null>(null);
  const [holiday, setHoliday] = useState('');
  const [message, setMessage] = useState<Message>(null);

  useEffect(() => {
    organizationApi.get(api).then(
      (loaded) => {
        setSettings(loaded);
        setDraft(draftOf(loaded));
      },
      (failure: unknown) => setMessage({ kind: 'error', text: describeError(failure, t) }),
    );
  }, [api]);

  const rule = draft?.contact_rule;
  const weekdays = rule?.weekdays ?? [];
  const holidays = rule?.holidays ?? [];
  const setRule = (change: Partial<OrganizationUpdate['contact_rule']>) =>
    setDraft((current) => (current === null ? null : { ...current, contact_rule: { ...current.contact_rule, ...change } }));
  const setWeekday = (index: number, change: Partial<WeekdayWindow>) =>
    setRule({ weekdays: weekdays.map((entry, at) => (at === index ? { ...entry, ...change } : entry)) });
  const toggleDay = (index: number, day: Weekday, on: boolean) => {
    const days = weekdays[index]?.days ?? [];
    setWeekday(index, { days: on ? [...days, day] : days.filter((value) => value !== day) });
  };
  const addHoliday = () => {
    if (holiday === '' || holidays.includes(holiday)) return;
    setRule({ holidays: [...holidays, holiday].sort() });
    setHoliday('');
  };

  const save = async (event: Event) => {
    event.preventDefault();
    if (draft === null) return;
    setMessage(null);
    try {
      const saved = await organizationApi.save(api, draft);
      setSettings(saved);
      setDraft(draftOf(saved));
      setMessage({ kind: 'ok', text: t('org.saved') });
    } catch (failure: unknown) {
      setMessage({ kind: 'error', text: describeError(failure, t) });
    }
  };

  const banner =
    message === null ? null : (
      <p role={message.kind === 'ok' ? 'status' : 'alert'} class={message.kind === 'ok' ? 'status-message' : 'form-error'}>
        {message.text}
      </p>
    );

  if (settings === null || draft === null || rule === undefined) {
    return (
      <section class="org-panel" aria-labelledby="org-title">
        <h2 id="org-title">{t('org.title')}</h2>
        {banner ?? <p>{t('common.loading')}</p>}
      </section>
    );
  }

  const dayName = (day: Weekday) => t(`org.day.${day}`);
  return (
    <section class="org-panel" aria-labelledby="org-title">
      <h2 id="org-title">{t('org.title')}</h2>
      <p>{t(canEdit ? 'org.intro' : 'org.readOnly')}</p>
      {banner}
      {/* A viewer gets the same fields, disabled, outside any form. */}
      <FormOrDiv canEdit={canEdit} onSubmit={(event) => void save(event)}>
        <fieldset disabled={!canEdit}>
          <label>
            {t('org.displayName')}
            <input
              value={draft.display_name ?? ''}
              placeholder={settings.name}
              onInput={(event) => setDraft({ ...draft, display_name: event.currentTarget.value || null })}
            />
          </label>
          <label>
            {t('org.timeZone')}
            <select
              value={draft.default_time_zone ?? ''}
              onChange={(event) => setDraft({ ...draft, default_time_zone: event.currentTarget.value || null })}
            >
              <option value="">{t('org.timeZoneFallback')}</option>
              {settings.time_zones.map((zone) => (
                <option key={zone} value={zone}>
                  {zone}
                </option>
              ))}
            </select>
          </label>
          <h3>{t('org.contactTitle')}</h3>
          <p class="hint">{t('org.contactHint')}</p>
          <div class="org-window">
            <label>
              {t('org.windowStart')}
              <input type="time" value={rule.window.start} onInput={(event) => setRule({ window: { ...rule.window, start: event.currentTarget.value } })} />
            </label>
            <label>
              {t('org.windowEnd')}
              <input type="time" value={rule.window.end} onInput={(event) => setRule({ window: { ...rule.window, end: event.currentTarget.value } })} />
            </label>
          </div>
          <h4>{t('org.weekdaysTitle')}</h4>
          <p class="hint">{t(weekdays.length === 0 ? 'org.weekdaysEmpty' : 'org.weekdaysHint')}</p>
          {weekdays.map((entry, index) => (
            <div class="org-weekday" key={index} role="group" aria-label={t('org.weekdayEntry', { number: index + 1 })}>
              {WEEKDAYS.map((day) => (
                <label class="org-day" key={day}>
                  <input type="checkbox" checked={entry.days.includes(day)} onChange={(event) => toggleDay(index, day, event.currentTarget.checked)} />
                  {dayName(day)}
                </label>
              ))}
              <input type="time" aria-label={t('org.windowStart')} value={entry.start} onInput={(event) => setWeekday(index, { start: event.currentTarget.value })} />
              <input type="time" aria-label={t('org.windowEnd')} value={entry.end} onInput={(event) => setWeekday(index, { end: event.currentTarget.value })} />
              {canEdit && (
                <button type="button" class="button button--small" onClick={() => setRule({ weekdays: weekdays.filter((_, at) => at !== index) })}>
                  {t('org.remove')}
                </button>
              )}
            </div>
          ))}
          {canEdit && (
            <button type="button" class="button button--small" onClick={() => setRule({ weekdays: [...weekdays, { days: [], start: rule.window.start, end: rule.window.end }] })}>
              {t('org.addWeekday')}
            </button>
          )}
          <h4>{t('org.holidaysTitle')}</h4>
          {holidays.length === 0 ? <p class="hint">{t('org.holidaysEmpty')}</p> : null}
          <ul class="org-holidays">
            {holidays.map((date) => (
              <li key={date}>
                {date}
                {canEdit && (
                  <button type="button" class="button button--small" aria-label={t('org.removeHoliday', { date })} onClick={() => setRule({ holidays: holidays.filter((value) => value !== date) })}>
                    {t('org.remove')}
                  </button>
                )}
              </li>
            ))}
          </ul>
          {canEdit && (
            <div class="org-window">
              <label>
                {t('org.holiday')}
                <input type="date" value={holiday} onInput={(event) => setHoliday(event.currentTarget.value)} />
              </label>
              <button type="button" class="button button--small" onClick={addHoliday}>
                {t('org.addHoliday')}
              </button>
            </div>
          )}
          <label class="org-day">
            <input type="checkbox" checked={draft.track_outside_shifts} onChange={(event) => setDraft({ ...draft, track_outside_shifts: event.currentTarget.checked })} />
            {t('org.trackOutsideShifts')}
          </label>
          {canEdit && (
            <button type="submit" class="button">
              {t('org.save')}
            </button>
          )}
        </fieldset>
      </FormOrDiv>
    </section>
  );
}

function FormOrDiv(props: {
  canEdit: boolean;
  onSubmit: (event: Event) => void;
  children: ComponentChildren;
}) {
  if (!props.canEdit) return <div class="org-form">{props.children}</div>;
  return (
    <form class="org-form" onSubmit={props.onSubmit}>
      {props.children}
    </form>
  );
}
