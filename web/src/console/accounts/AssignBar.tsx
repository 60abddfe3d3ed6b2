// Assigns the accounts selected in the list to one agent. When the agent's
// daily capacity would be exceeded, the server refuses and the supervisor may
// confirm to assign anyway.

import { useState } from 'preact/hooks';
import type { ApiClient } from '../../shared/api';
import { ApiError } from '../../shared/api';
import { describeError } from '../../shared/errors';
import type { MessageKey } from '../../shared/i18n';
import type { EntityId, User } from '../../shared/types';
import { useI18n } from '../../shared/ui/i18n-context';

export interface AssignResult {
  assigned: number;
  reassigned: number;
  unchanged: number;
  agent_load: number;
}

/** State of an assignment request, shared by the list's bar and the area panel. */
export type AssignOutcome =
  | { kind: 'idle' }
  | { kind: 'saving' }
  | { kind: 'done'; result: AssignResult; agentName: string }
  | { kind: 'overCapacity'; message: string }
  | { kind: 'failed'; message: string };

/**
 * Shows how an assignment request ended. `onForce` repeats it with the
 * agent's capacity overridden; `noMatchKey` is shown when nothing matched.
 */
export function AssignOutcomeView(props: { outcome: AssignOutcome; onForce: () => void; noMatchKey?: MessageKey }) {
  const { t } = useI18n();
  const { outcome } = props;
  if (outcome.kind === 'done') {
    const { result } = outcome;
    const touched = result.assigned + result.reassigned + result.unchanged;
    if (touched === 0 && props.noMatchKey !== undefined) {
      return <p role="status">{t(props.noMatchKey)}</p>;
    }
    return (
      <p role="status">
        {t('assign.done', {
          agent: outcome.agentName,
          assigned: result.assigned,
          reassigned: result.reassigned,
          unchanged: result.unchanged,
          load: result.agent_load,
        })}
      </p>
    );
  }
  if (outcome.kind === 'overCapacity') {
    return (
      <div role="alert" class="form-error">
        <p>{outcome.message}</p>
        <button type="button" class="button button--small" onClick={props.onForce}>
          {t('assign.anyway')}
        </button>
      </div>
    );
  }
  if (outcome.kind === 'failed') {
    return (
      <p role="alert" class="form-error">
        {outcome.message}
      </p>
    );
  }
  return null;
}

export function AssignBar(props: {
  api: ApiClient;
  agents: User[];
  selected: EntityId[];
  onAssigned: () => void;
}) {
  const { t } = useI18n();
  const [agentId, setAgentId] = useState('');
  const [outcome, setOutcome] = useState<AssignOutcome>({ kind: 'idle' });
  const count = props.selected.length;

  const assign = async (allowOverCapacity: boolean) => {
    const agent = props.agents.find((candidate) => String(candidate.id) === agentId);
    if (agent === undefined || count === 0) return;
    setOutcome({ kind: 'saving' });
    try {
      const result = await props.api.request<AssignResult>('POST', '/api/assignments', {
        agent_id: agent.id,
        account_ids: props.selected.map(String),
        allow_over_capacity: allowOverCapacity,
      });
      setOutcome({ kind: 'done', result, agentName: agent.name });
      props.onAssigned();
    } catch (failure: unknown) {
      const message = describeError(failure, t);
      const overCapacity = failure instanceof ApiError && failure.code === 'over_capacity';
      setOutcome(overCapacity ? { kind: 'overCapacity', message } : { kind: 'failed', message });
    }
  };

  return (
    <div class="assign-bar" role="group" aria-label={t('assign.title')}>
      <p class="assign-bar__count">{t('assign.selected', { count })}</p>
      <label for="assign-agent">{t('assign.agent')}</label>
      <select id="assign-agent" value={agentId} onChange={(event) => setAgentId(event.currentTarget.value)}>
        <option value="">{t('assign.chooseAgent')}</option>
        {props.agents.map((agent) => (
          <option key={String(agent.id)} value={String(agent.id)}>
            {agent.name}
          </option>
        ))}
      </select>
      <button
        type="button"
        class="button"
        disabled={count === 0 || agentId === '' || outcome.kind === 'saving'}
        onClick={() => void assign(false)}
      >
        {outcome.kind === 'saving' ? t('assign.saving') : t('assign.submit', { count })}
      </button>
      {props.agents.length === 0 ? <p class="muted">{t('assign.noAgents')}</p> : null}
      <AssignOutcomeView outcome={outcome} onForce={() => void assign(true)} />
    </div>
  );
}
