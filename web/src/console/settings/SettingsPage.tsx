// "Configuración" section: the result-code catalogue and the notification
// settings. Each panel shows its controls only to the roles the server allows.

import type { ApiClient } from '../../shared/api';
import type { Role } from '../../shared/types';
import { NotificationsPage } from '../notifications/NotificationsPage';
import { ResultCodesPanel } from './ResultCodesPanel';
import './settings.css';

export function SettingsPage(props: { api: ApiClient; role: Role }) {
  return (
    <div class="settings-page">
      <ResultCodesPanel api={props.api} canEdit={props.role === 'admin'} />
      <NotificationsPage api={props.api} role={props.role} />
    </div>
  );
}
