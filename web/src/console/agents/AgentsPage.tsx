// "Gestores" section: the organization's agents, each one's tracking devices
// and their day on the map. Viewers read only. The server also rejects their
// writes, and it does not list devices to them at all.

import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import type { ApiClient } from '../../shared/api';
import { describeError } from '../../shared/errors';
import type { Role, User } from '../../shared/types';
import { useI18n } from '../../shared/ui/i18n-context';
import { listAgents, listDevices, type Device } from './api';
import { AgentProfilePanel } from './AgentProfilePanel';
import { CapacityPanel } from './CapacityPanel';
import { DayPanel } from './DayPanel';
import { DevicesPanel } from './DevicesPanel';
import './agents.css';

export function canManageDevices(role: Role): boolean {
  return role === 'admin' || role === 'supervisor';
}

type Loaded<T> = { kind: 'loading' } | { kind: 'failed'; message: string } | { kind: 'loaded'; value: T };

export function AgentsPage(props: { api: ApiClient; role: Role }) {
  const { api } = props;
  const { t } = useI18n();
  const canManage = canManageDevices(props.role);
  const [agents, setAgents] = useState<Loaded<User[]>>({ kind: 'loading' });
  const [devices, setDevices] = useState<Loaded<Device[]>>({ kind: 'loading' });
  const [selectedId, setSelectedId] = useState<string | null>(null);

  const loadAgents = useCallback(() => {
    setAgents({ kind: 'loading' });
    listAgents(api).then(
      (list) => {
        const sorted = [...list].sort((a, b) => Number(b.active) - Number(a.active) || a.name.localeCompare(b.name, 'es'));
        setAgents({ kind: 'loaded', value: sorted });
        setSelectedId((current) => current ?? (sorted[0] === undefined ? null : String(sorted[0].id)));
      },
      (failure: unknown) => setAgents({ kind: 'failed', message: describeError(failure, t) }),
    );
  }, [api]);

  const loadDevices = useCallback(() => {
    if (!canManage) return;
    listDevices(api).then(
      (list) => setDevices({ kind: 'loaded', value: list }),
      (failure: unknown) => setDevices({ kind: 'failed', message: describeError(failure, t) }),
    );
  }, [api, canManage]);

  useEffect(loadAgents, [loadAgents]);
  useEffect(loadDevices, [loadDevices]);

  const selected = useMemo(
    () => (agents.kind === 'loaded' ? agents.value.find((agent) => String(agent.id) === selectedId) : undefined),
    [agents, selectedId],
  );

  if (agents.kind === 'loading') {
    return <p role="status">{t('agents.loading')}</p>;
  }
  if (agents.kind === 'failed') {
    return (
      <div role="alert" class="form-error">
        <p>
          {t('agents.loadFailed')} {agents.message}
        </p>
        <button type="button" class="button button--small" onClick={loadAgents}>
          {t('common.retry')}
        </button>
      </div>
    );
  }
  if (agents.value.length === 0) {
    return (
      <div class="empty-state">
        <p class="empty-state__title">{t('agents.emptyTitle')}</p>
        <p class="empty-state__body">{props.role === 'admin' ? t('agents.emptyBodyAdmin') : t('agents.emptyBody')}</p>
      </div>
    );
  }

  return (
    <div class="agents-page">
      <nav class="agents-page__list" aria-label={t('agents.listLabel')}>
        <ul>
          {agents.value.map((agent) => {
            const id = String(agent.id);
            const count = devices.kind === 'loaded' ? activeDeviceCount(devices.value, id) : null;
            return (
              <li key={id}>
                <button
                  type="button"
                  class="agents-page__agent"
                  aria-current={id === selectedId ? 'true' : undefined}
                  onClick={() => setSelectedId(id)}
                >
                  <span class="agents-page__name">{agent.name}</span>
                  <span class="hint">
                    {agent.active ? agent.email : t('agents.inactive')}
                    {count === null ? '' : ` · ${t('agents.deviceCount', { count })}`}
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      </nav>
      {selected === undefined ? null : (
        <div class="agents-page__detail">
          <h2>{selected.name}</h2>
          <CapacityPanel api={api} agentId={String(selected.id)} canEdit={canManage} />
          <AgentProfilePanel api={api} agentId={String(selected.id)} canEdit={canManage} />
          {canManage ? (
            <DevicesSection
              api={api}
              agent={selected}
              devices={devices}
              onChanged={loadDevices}
            />
          ) : (
            <p class="hint">{t('agents.devicesReadOnly')}</p>
          )}
          <DayPanel key={String(selected.id)} api={api} agent={selected} />
        </div>
      )}
    </div>
  );
}

function activeDeviceCount(devices: Device[], agentId: string): number {
  return devices.filter((device) => device.agent_id === agentId && device.revoked_at === null).length;
}

function DevicesSection(props: { api: ApiClient; agent: User; devices: Loaded<Device[]>; onChanged: () => void }) {
  const { t } = useI18n();
  const { devices } = props;
  if (devices.kind === 'loading') {
    return <p role="status">{t('agents.devicesLoading')}</p>;
  }
  if (devices.kind === 'failed') {
    return (
      <div role="alert" class="form-error">
        <p>
          {t('agents.devicesFailed')} {devices.message}
        </p>
        <button type="button" class="button button--small" onClick={props.onChanged}>
          {t('common.retry')}
        </button>
      </div>
    );
  }
  const own = devices.value.filter((device) => device.agent_id === String(props.agent.id));
  return <DevicesPanel api={props.api} agent={props.agent} devices={own} onChanged={props.onChanged} />;
}
