import { afterEach, describe, expect, it } from 'vitest';
import {
  LANGUAGE_STORAGE_KEY,
  LanguageStore,
  catalogues,
  detectLanguage,
  isMessageKey,
  languageTag,
  translate,
} from './i18n';

/** In-memory Storage stand-in so that each test starts with no stored choice. */
function memoryStorage(initial: Record<string, string> = {}): Storage {
  const data = new Map(Object.entries(initial));
  return {
    get length() {
      return data.size;
    },
    clear: () => data.clear(),
    getItem: (key) => data.get(key) ?? null,
    key: (index) => [...data.keys()][index] ?? null,
    removeItem: (key) => {
      data.delete(key);
    },
    setItem: (key, value) => {
      data.set(key, value);
    },
  };
}

describe('detectLanguage', () => {
  it('defaults to Spanish', () => {
    expect(detectLanguage(memoryStorage(), [])).toBe('es');
    expect(detectLanguage(undefined, [])).toBe('es');
  });

  it('defaults to Spanish for non-English browsers', () => {
    expect(detectLanguage(memoryStorage(), ['es-MX', 'en'])).toBe('es');
    expect(detectLanguage(memoryStorage(), ['fr-FR'])).toBe('es');
  });

  it('follows English browser without stored choice', () => {
    expect(detectLanguage(memoryStorage(), ['en-US', 'es'])).toBe('en');
    expect(detectLanguage(memoryStorage(), ['en'])).toBe('en');
  });

  it('prefers stored choice over browser', () => {
    expect(detectLanguage(memoryStorage({ [LANGUAGE_STORAGE_KEY]: 'es' }), ['en-US'])).toBe('es');
    expect(detectLanguage(memoryStorage({ [LANGUAGE_STORAGE_KEY]: 'en' }), ['es-MX'])).toBe('en');
  });

  it('ignores unknown stored value', () => {
    expect(detectLanguage(memoryStorage({ [LANGUAGE_STORAGE_KEY]: 'de' }), ['es-MX'])).toBe('es');
  });

  it('survives storage that throws', () => {
    const blocked = memoryStorage();
    blocked.getItem = () => {
      throw new Error('SecurityError');
    };
    expect(detectLanguage(blocked, ['en-GB'])).toBe('en');
  });
});

describe('catalogues', () => {
  const spanishKeys = Object.keys(catalogues.es).sort();
  const englishKeys = Object.keys(catalogues.en).sort();

  it('have the same keys in both locales', () => {
    expect(englishKeys).toEqual(spanishKeys);
  });

  it('have no empty messages', () => {
    for (const [language, messages] of Object.entries(catalogues)) {
      for (const [key, text] of Object.entries(messages)) {
        expect(text.trim(), `${language}: ${key}`).not.toBe('');
      }
    }
  });

  it('use the same placeholders in both locales', () => {
    const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();
    for (const key of spanishKeys) {
      const spanish = catalogues.es[key as keyof typeof catalogues.es];
      const english = catalogues.en[key as keyof typeof catalogues.en];
      expect(placeholders(english), key).toEqual(placeholders(spanish));
    }
  });
});

describe('translate', () => {
  it('returns Spanish login text', () => {
    expect(translate('es', 'login.submit')).toBe('Iniciar sesión');
    expect(translate('es', 'common.logout')).toBe('Cerrar sesión');
  });

  it('returns English login text', () => {
    expect(translate('en', 'login.submit')).toBe('Sign in');
  });

  it('fills placeholders', () => {
    expect(translate('es', 'users.created', { name: 'Beto' })).toBe('Se creó el usuario Beto.');
  });

  it('leaves unknown placeholders visible', () => {
    expect(translate('en', 'users.created', {})).toBe('User {name} was created.');
  });

  it('recognizes message keys', () => {
    expect(isMessageKey('error.invalid_credentials')).toBe(true);
    expect(isMessageKey('error.something_new')).toBe(false);
    expect(isMessageKey('toString')).toBe(false);
  });
});

describe('LanguageStore', () => {
  afterEach(() => {
    localStorage.clear();
    document.documentElement.lang = '';
  });

  it('sets document lang on creation', () => {
    new LanguageStore('es');
    expect(document.documentElement.lang).toBe('es-MX');
  });

  it('switches to English and persists choice', () => {
    const store = new LanguageStore('es');
    const seen: string[] = [];
    store.subscribe((language) => seen.push(language));

    store.choose('en');

    expect(store.language).toBe('en');
    expect(seen).toEqual(['en']);
    expect(localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe('en');
    expect(document.documentElement.lang).toBe(languageTag('en'));
  });

  it('persists explicit Spanish choice', () => {
    const store = new LanguageStore('es');
    store.choose('es');
    expect(localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe('es');
  });

  it('stops notifying after unsubscribe', () => {
    const store = new LanguageStore('es');
    const seen: string[] = [];
    const unsubscribe = store.subscribe((language) => seen.push(language));
    unsubscribe();

    store.choose('en');

    expect(seen).toEqual([]);
  });

  it('defaults to Spanish with empty storage', () => {
    localStorage.clear();
    expect(detectLanguage(localStorage, ['es-MX'])).toBe('es');
  });
});
