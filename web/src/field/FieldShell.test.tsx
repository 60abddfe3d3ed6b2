import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../shared/api';
import type { FieldApi } from '../shared/field-api';
import { LanguageStore, type Language } from '../shared/i18n';
import { I18nProvider } from '../shared/ui/i18n-context';
import { FieldShell } from './FieldShell';
import { storageErrorKey } from './storage-error';

const PROFILE = {
  user: { id: 'u-1', email: 'beto@example.mx', name: 'Beto Ramírez', role: 'agent' as const, active: true },
  organization: { id: 'o-1', name: 'Despacho Norte' },
};

/** Makes every IndexedDB open fail the way the browser does. */
function failingIndexedDb(error: DOMException) {
  vi.stubGlobal('indexedDB', {
    open: () => {
      throw error;
    },
  });
}

async function mountShell(language: Language) {
  const container = document.createElement('div');
  document.body.append(container);
  await act(async () => {
    render(
      <I18nProvider store={new LanguageStore(language)}>
        <FieldShell
          api={{} as ApiClient}
          fieldApi={{} as FieldApi}
          profile={PROFILE}
          offline={false}
          sessionVersion={0}
          onLoggedOut={() => undefined}
        />
      </I18nProvider>,
      container,
    );
  });
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
  return container;
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  document.body.innerHTML = '';
});

describe('FieldShell storage failure', () => {
  it('explains a full phone in Spanish', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    failingIndexedDb(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
    const container = await mountShell('es');
    const alert = container.querySelector('[role="alert"]')?.textContent ?? '';
    expect(alert).toBe(
      'No se pudo abrir el almacenamiento del teléfono: no queda espacio libre. Borra fotos o apps que no uses y vuelve a intentarlo.',
    );
    expect(alert).not.toContain('quota');
  });

  it('explains blocked storage in English', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    failingIndexedDb(new DOMException('The operation is insecure.', 'SecurityError'));
    const container = await mountShell('en');
    const alert = container.querySelector('[role="alert"]')?.textContent ?? '';
    expect(alert).toMatch(/^Could not open the phone storage: the browser does not allow this site to store data\./);
    expect(alert).not.toContain('insecure');
  });
});

describe('storageErrorKey', () => {
  it('maps browser error names', () => {
    expect(storageErrorKey(new DOMException('x', 'QuotaExceededError'))).toBe('field.storageError.quota');
    expect(storageErrorKey(new DOMException('x', 'SecurityError'))).toBe('field.storageError.blocked');
    expect(storageErrorKey(new DOMException('x', 'InvalidAccessError'))).toBe('field.storageError.blocked');
    expect(storageErrorKey(new DOMException('x', 'VersionError'))).toBe('field.storageError.version');
    expect(storageErrorKey(new Error('IndexedDB transaction aborted'))).toBe('field.storageError.other');
    expect(storageErrorKey('not an error')).toBe('field.storageError.other');
  });
});
