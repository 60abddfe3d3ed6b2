import { afterEach, describe, expect, it } from 'vitest';
import { act } from 'preact/test-utils';
import type { FormDefinition } from '../../shared/forms/model';
import { buttonByText, click, jsonResponse, mount, settle, stubApi } from '../accounts/testing';
import { FormEditor } from './FormEditor';

const DEFINITION: FormDefinition = {
  form_id: 'visita',
  version: '1',
  title: { es: 'Visita' },
  default_language: 'es',
  languages: ['es'],
  questions: [
    { type: 'select_one', name: 'result_code', list_name: 'results', required: 'true()' },
    { type: 'decimal', name: 'amount', relevant: "${result_code} = 'PP'" },
  ],
  choices: { results: [{ name: 'PP', label: { es: 'Promesa de pago' } }] },
};

const VALID_REPORT = { dry_run: true, status: 'valid', problems: [], form_id: 'visita', version: '2', question_count: 2, published: null };

afterEach(() => {
  document.body.innerHTML = '';
});

function cell(page: HTMLElement, label: string): HTMLInputElement {
  const input = page.querySelector<HTMLInputElement>(`[aria-label="${label}"]`);
  if (input === null) throw new Error(`no cell ${label}`);
  return input;
}

async function type(input: HTMLInputElement, value: string): Promise<void> {
  await act(async () => {
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

describe('FormEditor', () => {
  it('shows an unknown reference next to its row', async () => {
    const { api } = stubApi({});
    const page = mount(<FormEditor api={api} definition={DEFINITION} readOnly={false} onClose={() => {}} onPublished={() => {}} />);
    await type(cell(page, 'relevant, fila 2'), "${result} = 'PP'");
    const problems = page.querySelector('#' + cell(page, 'relevant, fila 2').getAttribute('aria-describedby'));
    expect(problems?.textContent).toBe('relevant: ${result} no es ninguna pregunta del formulario.');
    expect(cell(page, 'relevant, fila 2').getAttribute('aria-invalid')).toBe('true');
    expect(page.textContent).toContain('1 problema(s) en la tabla');
  });

  it('checks with the server, then publishes the same definition', async () => {
    const uploads: Array<{ dryRun: string; definition: FormDefinition }> = [];
    const { api } = stubApi({
      'POST /api/forms': async (request) => {
        const body = request.body as FormData;
        const file = body.get('file') as File;
        uploads.push({ dryRun: String(body.get('dry_run')), definition: JSON.parse(await file.text()) as FormDefinition });
        return body.get('dry_run') === 'true'
          ? jsonResponse(200, VALID_REPORT)
          : jsonResponse(200, { ...VALID_REPORT, dry_run: false, status: 'published' });
      },
    });
    let published = 0;
    const page = mount(<FormEditor api={api} definition={DEFINITION} readOnly={false} onClose={() => {}} onPublished={() => published++} />);
    expect(buttonByText(page, 'Publicar')?.disabled).toBe(true);
    await click(buttonByText(page, 'Revisar'));
    await settle();
    expect(page.textContent).toContain('Sin problemas; puedes publicarlo:');
    await click(buttonByText(page, 'Publicar'));
    await settle();
    expect(uploads.map((upload) => upload.dryRun)).toEqual(['true', 'false']);
    expect(uploads[1]?.definition).toEqual({ ...DEFINITION, version: '2' });
    expect(published).toBe(1);
  });

  it('asks for a new check after an edit', async () => {
    const { api } = stubApi({ 'POST /api/forms': () => jsonResponse(200, VALID_REPORT) });
    const page = mount(<FormEditor api={api} definition={DEFINITION} readOnly={false} onClose={() => {}} onPublished={() => {}} />);
    await click(buttonByText(page, 'Revisar'));
    await settle();
    await type(cell(page, 'Etiqueta (es), fila 1'), 'Resultado');
    expect(buttonByText(page, 'Publicar')?.disabled).toBe(true);
    expect(page.textContent).toContain('vuelve a revisar');
  });

  it('adds, moves and deletes rows by button', async () => {
    const { api } = stubApi({});
    const page = mount(<FormEditor api={api} definition={null} readOnly={false} onClose={() => {}} onPublished={() => {}} />);
    await click(buttonByText(page, 'Agregar fila'));
    await type(cell(page, 'Nombre, fila 1'), 'first');
    await click(buttonByText(page, 'Agregar fila'));
    await type(cell(page, 'Nombre, fila 2'), 'second');
    await click(page.querySelector('[aria-label="Subir la fila 2 second"]'));
    expect(cell(page, 'Nombre, fila 1').value).toBe('second');
    await click(page.querySelector('[aria-label="Borrar la fila 1 second"]'));
    expect(cell(page, 'Nombre, fila 1').value).toBe('first');
    expect(page.querySelector('[aria-label="Nombre, fila 2"]')).toBeNull();
  });

  it('is read-only for roles that cannot manage forms', async () => {
    const { api, requests } = stubApi({});
    const page = mount(<FormEditor api={api} definition={DEFINITION} readOnly onClose={() => {}} onPublished={() => {}} />);
    expect(page.textContent).toContain('Formulario (solo lectura)');
    expect(cell(page, 'Nombre, fila 1').readOnly).toBe(true);
    expect(buttonByText(page, 'Revisar')).toBeNull();
    expect(buttonByText(page, 'Agregar fila')).toBeNull();
    expect(page.querySelector('[aria-label^="Borrar la fila"]')).toBeNull();
    expect(requests).toEqual([]);
  });
});
