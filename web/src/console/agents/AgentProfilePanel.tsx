// An agent's profile next to the capacity: working hours per weekday, where the
// day starts, and the named zones the agent covers. Admins and supervisors edit
// it; viewers read it, as the server allows.

import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../../shared/api';
import { describeError } from '../../shared/errors';
import type { Weekday } from '../../shared/rules/contact';
import { useI18n } from '../../shared/ui/i18n-context';
import { formatVertices, getProfile, parseVertices, saveProfile, type AgentProfile, type WorkingDay } from './profileApi';

const WEEKDAYS: readonly Weekday[] = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

interface Draft {
  hours: Record<Weekday, { on: boolean; start: string; end: string }>;
  latitude: string;
  longitude: string;
  label: string;
  zones: { name: string; vertices: string }[];
}

function draftOf(profile: AgentProfile): Draft {
  const hours = {} as Draft['hours'];
  for (const day of WEEKDAYS) {
    const entry = profile.working_hours.find((working) => working.day === day);
    hours[day] = { on: entry !== undefined, start: entry?.start ?? '09:00', end: entry?.end ?? '18:00' };
  }
  const start = profile.start_location;
  return {
    hours,
    latitude: start === null ? '' : String(start.latitude),
    longitude: start === null ? '' : String(start.longitude),
    label: start?.label ?? '',
    zones: profile.zones.map((zone) => ({ name: zone.name, vertices: formatVertices(zone.vertices) })),
  };
}

type Message = { ok: boolean; text: string } | null;

export function AgentProfilePanel(props: { api: ApiClient; agentId: string; canEdit: boolean }) {
  const { api, agentId, canEdit } = props;
  const { t } = useI18n();
  const [draft, setDraft] = useState<Draft | null>(null);
  const [message, setMessage] = useState<Message>(null);

  useEffect(() => {
    setMessage(null);
    setDraft(null);
    getProfile(api, agentId).then(
      (profile) => setDraft(draftOf(profile)),
      (failure: unknown) => setMessage({ ok: false, text: describeError(failure, t) }),
    );
  }, [api, agentId]);

  const save = async (event: Event) => {
    event.preventDefault();
    if (draft === null) return;
    setMessage(null);
    const working_hours: WorkingDay[] = WEEKDAYS.filter((day) => draft.hours[day].on).map((day) => ({
      day,
      start: draft.hours[day].start,
      end: draft.hours[day].end,
    }));
    const zones = [];
    for (const zone of draft.zones) {
      const vertices = parseVertices(zone.vertices);
      if (vertices === null) {
        setMessage({ ok: false, text: t('profile.badVertices', { name: zone.name }) });
        return;
      }
      zones.push({ name: zone.name, vertices });
    }
    const hasStart = draft.latitude.trim() !== '' || draft.longitude.trim() !== '';
    const start_location = hasStart
      ? { latitude: Number(draft.latitude), longitude: Number(draft.longitude), label: draft.label.trim() || null }
      : null;
    try {
      const saved = await saveProfile(api, agentId, { working_hours, start_location, zones });
      setDraft(draftOf(saved));
      setMessage({ ok: true, text: t('profile.saved') });
    } catch (failure: unknown) {
      setMessage({ ok: false, text: describeError(failure, t) });
    }
  };

  const banner =
    message === null ? null : (
      <p role={message.ok ? 'status' : 'alert'} class={message.ok ? 'status-message' : 'form-error'}>
        {message.text}
      </p>
    );
  if (draft === null) {
    return (
      <section class="profile-panel" aria-labelledby="profile-title">
        <h3 id="profile-title">{t('profile.title')}</h3>
        {banner ?? <p role="status">{t('common.loading')}</p>}
      </section>
    );
  }

  const setHours = (day: Weekday, change: Partial<Draft['hours'][Weekday]>) =>
    setDraft({ ...draft, hours: { ...draft.hours, [day]: { ...draft.hours[day], ...change } } });
  const setZone = (index: number, change: Partial<Draft['zones'][number]>) =>
    setDraft({ ...draft, zones: draft.zones.map((zone, at) => (at === index ? { ...zone, ...change } : zone)) });

  return (
    <section class="profile-panel" aria-labelledby="profile-title">
      <h3 id="profile-title">{t('profile.title')}</h3>
      {banner}
      <form onSubmit={(event) => void save(event)}>
        <fieldset disabled={!canEdit} class="profile-panel__fields">
          <h4>{t('profile.hoursTitle')}</h4>
          <table class="data-table profile-hours">
            <tbody>
              {WEEKDAYS.map((day) => (
                <tr key={day}>
                  <th scope="row">
                    <label>
                      <input type="checkbox" checked={draft.hours[day].on} onChange={(event) => setHours(day, { on: event.currentTarget.checked })} />
                      {t(`org.day.${day}`)}
                    </label>
                  </th>
                  <td>
                    <input type="time" aria-label={t('profile.startOf', { day: t(`org.day.${day}`) })} disabled={!draft.hours[day].on} value={draft.hours[day].start} onInput={(event) => setHours(day, { start: event.currentTarget.value })} />
                  </td>
                  <td>
                    <input type="time" aria-label={t('profile.endOf', { day: t(`org.day.${day}`) })} disabled={!draft.hours[day].on} value={draft.hours[day].end} onInput={(event) => setHours(day, { end: event.currentTarget.value })} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h4>{t('profile.startTitle')}</h4>
          <div class="profile-panel__row">
            <label>
              {t('profile.latitude')}
              <input inputMode="decimal" value={draft.latitude} onInput={(event) => setDraft({ ...draft, latitude: event.currentTarget.value })} />
            </label>
            <label>
              {t('profile.longitude')}
              <input inputMode="decimal" value={draft.longitude} onInput={(event) => setDraft({ ...draft, longitude: event.currentTarget.value })} />
            </label>
            <label>
              {t('profile.label')}
              <input value={draft.label} onInput={(event) => setDraft({ ...draft, label: event.currentTarget.value })} />
            </label>
          </div>
          <h4>{t('profile.zonesTitle')}</h4>
          {draft.zones.length === 0 && <p class="hint">{t('profile.zonesEmpty')}</p>}
          {draft.zones.map((zone, index) => (
            <div class="profile-panel__row" key={index}>
              <label>
                {t('profile.zoneName')}
                <input value={zone.name} onInput={(event) => setZone(index, { name: event.currentTarget.value })} />
              </label>
              <label>
                {t('profile.zoneVertices')}
                <textarea rows={4} value={zone.vertices} onInput={(event) => setZone(index, { vertices: event.currentTarget.value })} />
              </label>
              {canEdit && (
                <button type="button" class="button button--small" onClick={() => setDraft({ ...draft, zones: draft.zones.filter((_, at) => at !== index) })}>
                  {t('org.remove')}
                </button>
              )}
            </div>
          ))}
          {canEdit && (
            <div class="profile-panel__row">
              <button type="button" class="button button--small" onClick={() => setDraft({ ...draft, zones: [...draft.zones, { name: '', vertices: '' }] })}>
                {t('profile.addZone')}
              </button>
              <button type="submit" class="button button--small">
                {t('profile.save')}
              </button>
            </div>
          )}
        </fieldset>
      </form>
    </section>
  );
}
