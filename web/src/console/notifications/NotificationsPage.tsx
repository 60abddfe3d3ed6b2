// "Notificaciones" page of the Configuración section, with email rules, the SMTP
// server, sent emails and webhooks. Roles match the server: admins manage SMTP
// and webhooks, and supervisors manage rules and email retries.

import type { ApiClient } from '../../shared/api';
import type { Role } from '../../shared/types';
import { useI18n } from '../../shared/ui/i18n-context';
import { DeliveriesPanel } from './DeliveriesPanel';
import { RulesPanel } from './RulesPanel';
import { SmtpPanel } from './SmtpPanel';
import { WebhooksPanel } from './WebhooksPanel';
import './notifications.css';

export function NotificationsPage(props: { api: ApiClient; role: Role }) {
  const { t } = useI18n();
  const admin = props.role === 'admin';
  const manager = admin || props.role === 'supervisor';
  return (
    <div class="notify-page">
      <h2 class="notify-page__title">{t('notify.title')}</h2>
      {manager ? null : <p class="status-message">{t('notify.readOnly')}</p>}
      <RulesPanel api={props.api} canManage={manager} />
      <SmtpPanel api={props.api} canEdit={admin} />
      <DeliveriesPanel api={props.api} canRetry={manager} />
      <WebhooksPanel api={props.api} canManage={admin} />
    </div>
  );
}
