// Signed-in layout of the console: header, section navigation and the
// current section.

import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiClient } from '../shared/api';
import type { Session } from '../shared/types';
import { EmptyState } from '../shared/ui/EmptyState';
import { useI18n } from '../shared/ui/i18n-context';
import { LanguageSwitch } from '../shared/ui/LanguageSwitch';
import { useLogout } from '../shared/ui/useLogout';
import { AccountsPage } from './accounts/AccountsPage';
import { AgentsPage } from './agents/AgentsPage';
import { FormsPage } from './forms/FormsPage';
import { LiveFeed } from './live/LiveFeed';
import { ReportsPage } from './reports/ReportsPage';
import { SettingsPage } from './settings/SettingsPage';
import { hashForSection, sectionFromHash, sectionsForRole, type SectionId } from './sections';
import { UsersPage } from './UsersPage';
import { TodayPage } from './today/TodayPage';
import { VisitsPage } from './visits/VisitsPage';

interface ShellProps {
  api: ApiClient;
  session: Session;
  onLoggedOut: () => void;
}

function useSectionRoute(session: Session): SectionId {
  const role = session.user.role;
  const [section, setSection] = useState(() => sectionFromHash(location.hash, role));

  useEffect(() => {
    const onHashChange = () => setSection(sectionFromHash(location.hash, role));
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, [role]);

  return section;
}

export function Shell(props: ShellProps) {
  const { session } = props;
  const { t } = useI18n();
  const section = useSectionRoute(session);
  const { pending, error, logout } = useLogout(props.api, props.onLoggedOut);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);

  // After navigating, move focus to the new heading so that screen reader and
  // keyboard users land on the content they asked for.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    headingRef.current?.focus();
  }, [section]);

  const sections = sectionsForRole(session.user.role);
  const current = sections.find((item) => item.id === section) ?? sections[0]!;

  return (
    <div class="shell">
      <a class="skip-link" href="#main">
        {t('common.skipToContent')}
      </a>
      <header class="shell__header">
        <div class="shell__identity">
          <span class="brand">Ronda</span>
          <span class="shell__org">
            <span class="visually-hidden">{t('console.orgLabel')}: </span>
            {session.organization.name}
          </span>
        </div>
        <div class="shell__user">
          <span class="shell__user-name">
            <span class="visually-hidden">{t('console.userLabel')}: </span>
            {session.user.name}
          </span>
          <span class="role-badge">{t(`role.${session.user.role}`)}</span>
          <LanguageSwitch />
          <button type="button" class="button button--small" onClick={logout} disabled={pending}>
            {pending ? t('common.loggingOut') : t('common.logout')}
          </button>
        </div>
      </header>
      {error ? (
        <p role="alert" class="form-error shell__alert">
          {error}
        </p>
      ) : null}

      <nav class="shell__nav" aria-label={t('console.nav')}>
        <ul>
          {sections.map((item) => (
            <li key={item.id}>
              <a href={hashForSection(item.id)} aria-current={item.id === section ? 'page' : undefined}>
                {t(item.labelKey)}
              </a>
            </li>
          ))}
        </ul>
      </nav>

      <main id="main" class="shell__main">
        <h1 ref={headingRef} tabIndex={-1}>
          {t(current.labelKey)}
        </h1>
        {current.id === 'users' ? (
          <UsersPage api={props.api} currentUser={session.user} />
        ) : current.id === 'accounts' ? (
          <AccountsPage api={props.api} role={session.user.role} />
        ) : current.id === 'today' ? (
          <TodayPage api={props.api} feed={<LiveFeed />} />
        ) : current.id === 'agents' ? (
          <AgentsPage api={props.api} role={session.user.role} />
        ) : current.id === 'forms' ? (
          <FormsPage api={props.api} role={session.user.role} />
        ) : current.id === 'visits' ? (
          <VisitsPage api={props.api} role={session.user.role} />
        ) : current.id === 'reports' ? (
          <ReportsPage api={props.api} />
        ) : current.id === 'settings' ? (
          <SettingsPage api={props.api} role={session.user.role} />
        ) : (
          <EmptyState title={t(`empty.${current.id}.title`)} body={t(`empty.${current.id}.body`)} />
        )}
      </main>
    </div>
  );
}
