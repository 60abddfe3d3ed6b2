// The signed-in app: header with the tracking indicator, offline banner, the
// screen the URL names, and the footer whose logout waits until nothing is
// left to send. The position tracker lives here so it runs on every screen.

import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../shared/api';
import type { FieldApi } from '../shared/field-api';
import type { MessageKey } from '../shared/i18n';
import { useI18n } from '../shared/ui/i18n-context';
import { LanguageSwitch } from '../shared/ui/LanguageSwitch';
import { useLogout } from '../shared/ui/useLogout';
import { DayScreen } from './day/DayScreen';
import { useDay } from './day/useDay';
import { TrackingIndicator, TrackingProvider } from './geo/TrackingProvider';
import { PendingScreen } from './pending/PendingScreen';
import type { CachedProfile } from './profile-cache';
import { go, useRoute } from './route';
import { createServices, ServicesContext, useStored, type FieldServices } from './services';
import { reportStorageError } from './storage-error';
import { VisitScreen } from './visit/VisitScreen';

interface Props {
  api: ApiClient;
  fieldApi: FieldApi;
  profile: CachedProfile;
  offline: boolean;
  sessionVersion: number;
  onLoggedOut: () => void;
}

export function FieldShell(props: Props) {
  const { t } = useI18n();
  const [services, setServices] = useState<FieldServices | null>(null);
  const [failed, setFailed] = useState<MessageKey | null>(null);
  const { user, organization } = props.profile;

  useEffect(() => {
    let current: FieldServices | null = null;
    let detach: (() => void) | null = null;
    // One database per agent, so records never leave under another login.
    createServices(props.fieldApi, `ronda-field-${organization.id}-${user.id}`).then(
      (created) => {
        current = created;
        detach = created.sync.attach(window);
        setServices(created);
      },
      (error: unknown) => setFailed(reportStorageError('Opening the device database failed', error)),
    );
    return () => {
      detach?.();
      current?.db.close();
    };
  }, [organization.id, user.id]);

  // A fresh CSRF token (sign-in, or the session restored after coming back online) lets uploads resume.
  useEffect(() => {
    if (services !== null && !props.offline) void services.sync.sync(true);
  }, [services, props.sessionVersion, props.offline]);

  const banner = props.offline ? (
    <p class="notice notice--offline field-banner" role="status">
      {t('field.offline')}
    </p>
  ) : null;

  if (services === null) {
    return (
      <div class="field-page">
        <Header profile={props.profile} />
        {banner}
        <main class="field-main">
          {failed === null ? (
            <p role="status">{t('common.loading')}</p>
          ) : (
            <p role="alert" class="form-error">
              {t('field.storageFailed', { reason: t(failed) })}
            </p>
          )}
        </main>
      </div>
    );
  }

  return (
    <ServicesContext.Provider value={services}>
      <TrackingProvider>
        <div class="field-page">
          <Header profile={props.profile} />
          <TrackingIndicator />
          {banner}
          <Screens offline={props.offline} />
          <Footer api={props.api} offline={props.offline} onLoggedOut={props.onLoggedOut} />
        </div>
      </TrackingProvider>
    </ServicesContext.Provider>
  );
}

function Header(props: { profile: CachedProfile; children?: ComponentChildren }) {
  const { user, organization } = props.profile;
  return (
    <header class="field-header">
      <div class="field-header__who">
        <span class="field-header__name">{user.name}</span>
        <span class="field-header__org">{organization.name}</span>
      </div>
      <LanguageSwitch />
      {props.children}
    </header>
  );
}

function Screens(props: { offline: boolean }) {
  const { t } = useI18n();
  const route = useRoute();
  const day = useDay(!props.offline);
  const count = useStored(unsentCount) ?? 0;

  return (
    <>
      <nav class="field-nav" aria-label={t('field.nav')}>
        <a href="#/" class="field-nav__link" aria-current={route.screen === 'day' ? 'page' : undefined}>
          {t('field.myDay')}
        </a>
        <a href="#/pendientes" class="field-nav__link" aria-current={route.screen === 'pending' ? 'page' : undefined}>
          {t('field.pendingNav', { count })}
        </a>
      </nav>
      <main class="field-main">
        {route.screen === 'visit' ? (
          <VisitScreen key={route.id} id={route.id} stored={day.stored} />
        ) : route.screen === 'pending' ? (
          <PendingScreen online={!props.offline} />
        ) : (
          <DayScreen day={day} online={!props.offline} />
        )}
      </main>
    </>
  );
}

/** Counts what waits for the server: each visit and shift, and the positions as one batch. */
async function unsentCount(s: FieldServices): Promise<number> {
  const visits = (await s.outbox.unsent()).length;
  const shifts = (await s.tracking.unsyncedShifts()).length;
  const positions = await s.tracking.countPositions();
  return visits + shifts + (positions > 0 ? 1 : 0);
}

function Footer(props: { api: ApiClient; offline: boolean; onLoggedOut: () => void }) {
  const { t } = useI18n();
  const state = useStored(async (s) => ({
    unsent: await unsentCount(s),
    clockedIn: (await s.tracking.openShift()) !== undefined,
  }));
  const { pending, error, logout } = useLogout(props.api, props.onLoggedOut);
  const blocked = (state?.unsent ?? 0) > 0;
  const clockedIn = state?.clockedIn ?? false;

  return (
    <footer class="field-footer">
      {error ? (
        <p role="alert" class="form-error">
          {error}
        </p>
      ) : null}
      <button
        type="button"
        class="button button--block"
        onClick={logout}
        disabled={pending || props.offline || blocked || clockedIn || state === undefined}
        aria-describedby={props.offline || blocked || clockedIn ? 'logout-hint' : undefined}
      >
        {pending ? t('common.loggingOut') : t('common.logout')}
      </button>
      {blocked ? (
        <p id="logout-hint" class="hint field-footer__hint">
          {t('field.logoutUnsent')}{' '}
          <button type="button" class="link-button" onClick={() => go({ screen: 'pending' })}>
            {t('field.seePending')}
          </button>
        </p>
      ) : clockedIn ? (
        <p id="logout-hint" class="hint field-footer__hint">
          {t('field.logoutClockedIn')}
        </p>
      ) : props.offline ? (
        <p id="logout-hint" class="hint field-footer__hint">
          {t('field.logoutNeedsConnection')}
        </p>
      ) : null}
    </footer>
  );
}
