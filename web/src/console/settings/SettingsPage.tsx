// "Configuración" section: organization settings, API tokens, invitations, the result-code
// catalogue and the notification settings. Each panel shows its controls only
// to the roles the server allows.

import type { ApiClient } from '../../shared/api';
import type { Role } from '../../shared/types';
import { NotificationsPage } from '../notifications/NotificationsPage';
import { ApiTokensPanel } from './ApiTokensPanel';
import { InvitationsPanel } from './InvitationsPanel';
import { OrganizationPanel } from './OrganizationPanel';
import { ResultCodesPanel } from './ResultCodesPanel';
import './settings.css';

export function SettingsPage(props: { api: ApiClient; role: Role }) {
  return (
    <div class="settings-page">
      <OrganizationPanel api={props.api} canEdit={props.role === 'admin'} />
      {props.role === 'admin' && <ApiTokensPanel api={props.api} />}
      {props.role === 'admin' && <InvitationsPanel api={props.api} />}
      <ResultCodesPanel api={props.api} canEdit={props.role === 'admin'} />
      <NotificationsPage api={props.api} role={props.role} />
    </div>
  );
}
