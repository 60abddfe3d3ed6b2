import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { act } from 'preact/test-utils';
import type { FormVersion } from '../../shared/forms/model';
import { buttonByText, chooseFile, click, jsonResponse, mount, settle, stubApi } from '../accounts/testing';
import { FormsPage } from './FormsPage';

const TEMPLATE = JSON.parse(
  readFileSync(resolve(import.meta.dirname, '../../../../crates/ronda-forms/templates/visita_cobranza.json'), 'utf8'),
) as FormVersion['definition'];

const VERSION: FormVersion = {
  id: 'v-1',
  form_id: 'visita_cobranza',
  version: '2026.1',
  content_hash: 'a'.repeat(64),
  title: TEMPLATE.title,
  definition: TEMPLATE,
  published_at: 0,
};

const SUMMARY = {
  form_id: 'visita_cobranza',
  title: TEMPLATE.title,
  version_count: 1,
  latest_version_id: 'v-1',
  latest_version: '2026.1',
  updated_at: 0,
};

const META = { id: 'v-1', form_id: 'visita_cobranza', version: '2026.1', content_hash: 'a'.repeat(64), source: 'template', published_by: null, published_at: 0 };

afterEach(() => {
  document.body.innerHTML = '';
});

describe('FormsPage', () => {
  it('shows problems of a checked file with sheet, row and column', async () => {
    const { api, requests } = stubApi({
      'GET /api/forms': () => jsonResponse(200, { forms: [] }),
      'GET /api/forms/templates': () => jsonResponse(200, { templates: [] }),
      'POST /api/forms': () =>
        jsonResponse(200, {
          dry_run: true,
          status: 'problems',
          problems: [{ code: 'unsupported_type', sheet: 'survey', row: 3, column: 'type', message: 'Ronda no admite el tipo «audio».' }],
          form_id: null,
          version: null,
          question_count: 0,
          published: null,
        }),
    });
    const page = mount(<FormsPage api={api} role="supervisor" />);
    await settle();
    const input = page.querySelector<HTMLInputElement>('input[type=file]');
    await chooseFile(input, new File(['| survey |'], 'encuesta.md'));
    await click(buttonByText(page, 'Revisar'));
    await settle();
    expect(requests.some((r) => r.method === 'POST' && r.body instanceof FormData && r.body.get('dry_run') === 'true')).toBe(true);
    expect(page.textContent).toContain('Ronda no admite el tipo «audio».');
    expect(buttonByText(page, 'Publicar nueva versión')?.disabled).toBe(true);
  });

  it('agents see forms but no upload', async () => {
    const { api } = stubApi({
      'GET /api/forms': () => jsonResponse(200, { forms: [SUMMARY] }),
      'GET /api/forms/templates': () => jsonResponse(200, { templates: [] }),
    });
    const page = mount(<FormsPage api={api} role="agent" />);
    await settle();
    expect(page.textContent).toContain('Visita de cobranza');
    expect(page.querySelector('input[type=file]')).toBeNull();
  });

  it('checks sample answers live with the shared validator', async () => {
    const { api } = stubApi({
      'GET /api/forms': () => jsonResponse(200, { forms: [SUMMARY] }),
      'GET /api/forms/templates': () => jsonResponse(200, { templates: [] }),
      'GET /api/forms/visita_cobranza/versions': () => jsonResponse(200, { versions: [META] }),
      'GET /api/forms/versions/v-1': () => jsonResponse(200, VERSION),
    });
    const page = mount(<FormsPage api={api} role="admin" />);
    await settle();
    await click(buttonByText(page, 'Ver preguntas'));
    await settle();
    expect(page.textContent).toContain('promise_amount');
    const [answers] = Array.from(page.querySelectorAll('textarea'));
    await act(async () => {
      answers!.value = JSON.stringify({ person_met: 'nobody', result_code: 'NOBODY_HOME' });
      answers!.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await settle();
    expect(page.textContent).toContain('facade_photo (required)');
  });
});
