// An agent's daily capacity and current load. Supervisors and admins change
// the capacity; assigning beyond it asks for confirmation in the account list.

import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../../shared/api';
import { describeError } from '../../shared/errors';
import { useI18n } from '../../shared/ui/i18n-context';

export interface AgentLoad {
  agent_id: string;
  name: string;
  active: boolean;
  daily_capacity: number;
  current_assignments: number;
}

export function CapacityPanel(props: { api: ApiClient; agentId: string; canEdit: boolean }) {
  const { api, agentId, canEdit } = props;
  const { t } = useI18n();
  const [load, setLoad] = useState<AgentLoad | null>(null);
  const [capacity, setCapacity] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const refresh = () =>
    api.request<{ agents: AgentLoad[] }>('GET', '/api/agents/loads').then(
      (body) => {
        const found = body.agents.find((agent) => agent.agent_id === agentId) ?? null;
        setLoad(found);
        setCapacity(found === null ? '' : String(found.daily_capacity));
      },
      (failure: unknown) => setMessage({ ok: false, text: describeError(failure, t) }),
    );

  useEffect(() => {
    setMessage(null);
    void refresh();
  }, [api, agentId]);

  const save = async (event: Event) => {
    event.preventDefault();
    setMessage(null);
    try {
      await api.request('PUT', `/api/agents/${encodeURIComponent(agentId)}/capacity`, {
        daily_capacity: Number(capacity),
      });
      setMessage({ ok: true, text: t('capacity.saved', { capacity }) });
      await refresh();
    } catch (failure: unknown) {
      setMessage({ ok: false, text: describeError(failure, t) });
    }
  };

  return (
    <section class="capacity-panel" aria-labelledby="capacity-title">
      <h3 id="capacity-title">{t('capacity.title')}</h3>
      {load !== null && (
        <p>
          {t('capacity.summary', { assigned: load.current_assignments, capacity: load.daily_capacity })}
        </p>
      )}
      {canEdit && load !== null && (
        <form class="capacity-panel__form" onSubmit={(event) => void save(event)}>
          <label for="capacity-input">{t('capacity.label')}</label>
          <input
            id="capacity-input"
            type="number"
            min={1}
            max={200}
            value={capacity}
            onInput={(event) => setCapacity(event.currentTarget.value)}
          />
          <button type="submit" class="button button--small">
            {t('capacity.save')}
          </button>
        </form>
      )}
      {message !== null && (
        <p role={message.ok ? 'status' : 'alert'} class={message.ok ? 'status-message' : 'form-error'}>
          {message.text}
        </p>
      )}
    </section>
  );
}
