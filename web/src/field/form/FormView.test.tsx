import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import type { Answers, FormDefinition } from '../../shared/forms/model';
import { LanguageStore } from '../../shared/i18n';
import { I18nProvider } from '../../shared/ui/i18n-context';
import { ServicesContext, type FieldServices } from '../services';
import { FormView } from './FormView';

const FORM: FormDefinition = {
  form_id: 'referencias',
  version: '1',
  title: { es: 'Referencias' },
  default_language: 'es',
  languages: ['es'],
  questions: [
    {
      type: 'repeat',
      name: 'references',
      label: { es: 'Referencias' },
      children: [
        { type: 'text', name: 'ref_name', label: { es: 'Nombre' }, required: 'true()' },
        { type: 'integer', name: 'age', label: { es: 'Edad de ${ref_name}' }, constraint: '. >= 18' },
      ],
    },
  ],
  choices: {},
};

afterEach(() => {
  document.body.innerHTML = '';
});

function mountForm(initial: Answers, definition: FormDefinition = FORM, saveError: Error | null = null) {
  const saved: Answers[] = [];
  const submitted: Answers[] = [];
  const services = {
    outbox: {
      saveAnswers: async (_recordId: string, answers: Answers) => {
        if (saveError !== null) throw saveError;
        saved.push(answers);
      },
    },
  } as unknown as FieldServices;
  const container = document.createElement('div');
  document.body.append(container);
  render(
    <I18nProvider store={new LanguageStore('es')}>
      <ServicesContext.Provider value={services}>
        <FormView
          recordId="r-1"
          definition={definition}
          initial={initial}
          external={{}}
          submitting={false}
          onSubmit={async (answers) => {
            submitted.push(answers);
          }}
        />
      </ServicesContext.Provider>
    </I18nProvider>,
    container,
  );
  return { container, saved, submitted };
}

async function flush(): Promise<void> {
  for (let round = 0; round < 3; round++) {
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
  }
}

function button(container: HTMLElement, text: string): HTMLButtonElement {
  const found = Array.from(container.querySelectorAll('button')).find((b) => b.textContent?.trim() === text);
  if (found === undefined) throw new Error(`no button ${text}`);
  return found;
}

async function typeInto(container: HTMLElement, id: string, value: string): Promise<void> {
  const input = container.querySelector<HTMLInputElement>(`[id="${id}"]`);
  if (input === null) throw new Error(`no input ${id}`);
  await act(async () => {
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.dispatchEvent(new Event('change', { bubbles: true }));
  });
}

describe('FormView repeats', () => {
  it('adds instances and saves them in the draft', async () => {
    const { container, saved } = mountForm({});
    await act(async () => button(container, 'Agregar a «Referencias»').click());
    await act(async () => button(container, 'Agregar a «Referencias»').click());
    await flush();
    expect(container.textContent).toContain('Elemento 2');
    await typeInto(container, 'q-references[1].ref_name', 'Luis');
    await typeInto(container, 'q-references[1].age', '12');
    await flush();
    expect(saved.at(-1)).toEqual({ references: [{}, { ref_name: 'Luis', age: 12 }] });
    expect(container.textContent).toContain('Edad de Luis');
  });

  it('blocks finishing on a bad second instance', async () => {
    const { container, submitted } = mountForm({ references: [{ ref_name: 'Ana', age: 40 }, { ref_name: 'Luis', age: 12 }] });
    await act(async () => button(container, 'Terminar visita').click());
    await flush();
    expect(submitted).toEqual([]);
    expect(container.querySelector('[id="q-references[1].age-problem"]')?.textContent).toBe('La respuesta no es válida.');
    expect(container.querySelector('[id="q-references[0].age-problem"]')).toBeNull();
  });

  it('removes an instance and submits the rest', async () => {
    const { container, submitted } = mountForm({ references: [{ ref_name: 'Ana', age: 40 }, { ref_name: 'Luis', age: 12 }] });
    await act(async () => (container.querySelector('[aria-label="Quitar el elemento 2"]') as HTMLButtonElement).click());
    await act(async () => button(container, 'Terminar visita').click());
    await flush();
    expect(submitted).toEqual([{ references: [{ ref_name: 'Ana', age: 40 }] }]);
  });
});

const PROMISE_FORM: FormDefinition = {
  form_id: 'promesa',
  version: '1',
  title: { es: 'Promesa' },
  default_language: 'es',
  languages: ['es'],
  questions: [{ type: 'integer', name: 'promise_amount', label: { es: 'Monto prometido' } }],
  choices: {},
};

describe('FormView messages', () => {
  it('names the question label in submission problems', async () => {
    // The runtime accepts any text here; the server-side check rejects a non-integer.
    const { container, submitted } = mountForm({ promise_amount: '12.5' }, PROMISE_FORM);
    await act(async () => button(container, 'Terminar visita').click());
    await flush();
    expect(submitted).toEqual([]);
    const problem = container.querySelector('ul[role="alert"] li')?.textContent ?? '';
    expect(problem).toBe('Monto prometido: La respuesta «12.5» de «Monto prometido» debe ser un número entero.');
    expect(problem).not.toContain('promise_amount');
  });

  it('names the repeat item in submission problems', async () => {
    const { container } = mountForm({ references: [{ ref_name: 'Ana', age: 40 }, { ref_name: 'Luis', age: '40.5' }] });
    await act(async () => button(container, 'Terminar visita').click());
    await flush();
    const problem = container.querySelector('ul[role="alert"] li')?.textContent ?? '';
    expect(problem).toMatch(/^Edad de Luis \(elemento 2\): /);
    expect(problem).not.toContain('references[1]');
  });

  it('explains a failed save in Spanish', async () => {
    const quota = new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    const { container } = mountForm({}, PROMISE_FORM, quota);
    await flush();
    const alert = container.querySelector('p[role="alert"]')?.textContent ?? '';
    expect(alert).toBe(
      'No se pudo guardar en el teléfono: no queda espacio libre. Borra fotos o apps que no uses y vuelve a intentarlo.',
    );
    expect(alert).not.toContain('quota');
  });
});
