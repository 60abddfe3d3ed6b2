// Assigns every account of an area to one agent: by postal codes, by
// municipality, or by a zone drawn on the map. The server applies the agent's
// capacity as for a selection, and keeps the assignment history.

import { useState } from 'preact/hooks';
import { ApiError, type ApiClient } from '../../shared/api';
import { describeError } from '../../shared/errors';
import type { Portfolio, User } from '../../shared/types';
import { useI18n } from '../../shared/ui/i18n-context';
import { AssignOutcomeView, type AssignOutcome, type AssignResult } from './AssignBar';
import { formatVertices, parsePostalCodes, parseVertices, type Vertex } from './assignArea';
import { ZoneMap } from './ZoneMap';

type Mode = 'postal' | 'municipality' | 'zone';

/** Smallest number of vertices of a zone. */
const MIN_VERTICES = 3;

export function AssignByArea(props: {
  api: ApiClient;
  agents: User[];
  portfolios: Portfolio[];
  onAssigned: () => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const [agentId, setAgentId] = useState('');
  const [portfolioId, setPortfolioId] = useState('');
  const [mode, setMode] = useState<Mode>('postal');
  const [postalText, setPostalText] = useState('');
  const [municipality, setMunicipality] = useState('');
  const [vertexText, setVertexText] = useState('');
  const [outcome, setOutcome] = useState<AssignOutcome>({ kind: 'idle' });

  const vertices = parseVertices(vertexText);
  const setVertices = (next: Vertex[]) => setVertexText(formatVertices(next));

  /** Returns the area part of the request, or the message saying what to fix. */
  const area = (): Record<string, unknown> | string => {
    if (mode === 'postal') {
      const { codes, invalid } = parsePostalCodes(postalText);
      if (invalid.length > 0) return t('assignArea.badPostalCodes', { codes: invalid.join(', ') });
      if (codes.length === 0) return t('assignArea.needPostalCodes');
      return { postal_codes: codes };
    }
    if (mode === 'municipality') {
      return municipality.trim() === '' ? t('assignArea.needMunicipality') : { municipality: municipality.trim() };
    }
    if (vertices.invalid.length > 0) return t('assignArea.badVertices', { lines: vertices.invalid.join(' · ') });
    if (vertices.vertices.length < MIN_VERTICES) return t('assignArea.needVertices', { count: MIN_VERTICES });
    return { zone: vertices.vertices };
  };

  const assign = async (allowOverCapacity: boolean) => {
    const agent = props.agents.find((candidate) => String(candidate.id) === agentId);
    if (agent === undefined) {
      setOutcome({ kind: 'failed', message: t('assignArea.needAgent') });
      return;
    }
    const chosen = area();
    if (typeof chosen === 'string') {
      setOutcome({ kind: 'failed', message: chosen });
      return;
    }
    setOutcome({ kind: 'saving' });
    try {
      const result = await props.api.request<AssignResult>('POST', '/api/assignments', {
        agent_id: agent.id,
        ...chosen,
        ...(portfolioId === '' ? {} : { portfolio_id: portfolioId }),
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
    <section class="assign-area" aria-labelledby="assign-area-title">
      <div class="assign-area__top">
        <h2 id="assign-area-title">{t('assignArea.title')}</h2>
        <button type="button" class="button button--small" onClick={props.onClose}>
          {t('assignArea.close')}
        </button>
      </div>
      <p>{t('assignArea.intro')}</p>
      <div class="assign-area__fields">
        <div class="form-field">
          <label for="area-agent">{t('assign.agent')}</label>
          <select id="area-agent" value={agentId} onChange={(event) => setAgentId(event.currentTarget.value)}>
            <option value="">{t('assign.chooseAgent')}</option>
            {props.agents.map((agent) => (
              <option key={String(agent.id)} value={String(agent.id)}>
                {agent.name}
              </option>
            ))}
          </select>
        </div>
        <div class="form-field">
          <label for="area-portfolio">{t('assignArea.portfolio')}</label>
          <select id="area-portfolio" value={portfolioId} onChange={(event) => setPortfolioId(event.currentTarget.value)}>
            <option value="">{t('assignArea.allPortfolios')}</option>
            {props.portfolios.map((portfolio) => (
              <option key={String(portfolio.id)} value={String(portfolio.id)}>
                {portfolio.lender_name} · {portfolio.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <fieldset class="assign-area__modes">
        <legend>{t('assignArea.by')}</legend>
        {(['postal', 'municipality', 'zone'] as const).map((candidate) => (
          <label key={candidate}>
            <input
              type="radio"
              name="area-mode"
              value={candidate}
              checked={mode === candidate}
              onChange={() => setMode(candidate)}
            />
            {t(`assignArea.mode.${candidate}`)}
          </label>
        ))}
      </fieldset>
      {mode === 'postal' ? (
        <div class="form-field">
          <label for="area-postal">{t('assignArea.postalCodes')}</label>
          <textarea id="area-postal" rows={2} value={postalText} onInput={(event) => setPostalText(event.currentTarget.value)} />
        </div>
      ) : null}
      {mode === 'municipality' ? (
        <div class="form-field">
          <label for="area-municipality">{t('assignArea.municipality')}</label>
          <input
            id="area-municipality"
            type="text"
            value={municipality}
            onInput={(event) => setMunicipality(event.currentTarget.value)}
          />
        </div>
      ) : null}
      {mode === 'zone' ? (
        <div class="assign-area__zone">
          <ZoneMap vertices={vertices.vertices} onAdd={(vertex) => setVertices([...vertices.vertices, vertex])} />
          <div class="form-field">
            <label for="area-vertices">{t('assignArea.vertices')}</label>
            <textarea
              id="area-vertices"
              rows={5}
              value={vertexText}
              aria-describedby="area-vertices-hint"
              onInput={(event) => setVertexText(event.currentTarget.value)}
            />
            <p id="area-vertices-hint" class="hint">
              {t('assignArea.verticesHint')}
            </p>
            <button
              type="button"
              class="button button--small"
              disabled={vertices.vertices.length === 0}
              onClick={() => setVertices(vertices.vertices.slice(0, -1))}
            >
              {t('assignArea.undoVertex')}
            </button>{' '}
            <button type="button" class="button button--small" disabled={vertexText === ''} onClick={() => setVertexText('')}>
              {t('assignArea.clearZone')}
            </button>
          </div>
        </div>
      ) : null}
      <button type="button" class="button button--primary" disabled={outcome.kind === 'saving'} onClick={() => void assign(false)}>
        {outcome.kind === 'saving' ? t('assign.saving') : t('assignArea.submit')}
      </button>
      <AssignOutcomeView outcome={outcome} onForce={() => void assign(true)} noMatchKey="assignArea.noMatch" />
    </section>
  );
}
