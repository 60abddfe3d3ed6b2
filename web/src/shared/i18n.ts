// UI language selection and message lookup. Spanish (es-MX) is the default;
// English is used only when the user picked it or, if they never picked a
// language, when the browser's preferred language is English.

import { en } from './locales/en';
import { es, type MessageKey } from './locales/es';

export type Language = 'es' | 'en';
export type { MessageKey };

export const LANGUAGES: readonly Language[] = ['es', 'en'];
export const DEFAULT_LANGUAGE: Language = 'es';
export const LANGUAGE_STORAGE_KEY = 'ronda.language';

export const catalogues: Record<Language, Record<MessageKey, string>> = { es, en };

/** BCP 47 tag for the `lang` attribute and the `Accept-Language` header. */
export function languageTag(language: Language): string {
  return language === 'es' ? 'es-MX' : 'en';
}

function isLanguage(value: unknown): value is Language {
  return value === 'es' || value === 'en';
}

/** Reads the stored choice. Storage can be missing or blocked, as in private mode or in tests. */
function readStoredLanguage(storage: Storage | undefined): Language | null {
  try {
    const stored = storage?.getItem(LANGUAGE_STORAGE_KEY);
    return isLanguage(stored) ? stored : null;
  } catch {
    return null;
  }
}

/**
 * Picks the UI language: the stored choice if there is one, otherwise English
 * when the first browser language is English, otherwise Spanish.
 */
export function detectLanguage(
  storage: Storage | undefined,
  browserLanguages: readonly string[],
): Language {
  const stored = readStoredLanguage(storage);
  if (stored !== null) {
    return stored;
  }
  const first = browserLanguages[0]?.toLowerCase() ?? '';
  return first === 'en' || first.startsWith('en-') ? 'en' : DEFAULT_LANGUAGE;
}

/** Returns the message for `key`, replacing each `{name}` with `params.name`. */
export function translate(
  language: Language,
  key: MessageKey,
  params?: Record<string, string | number>,
): string {
  const template = catalogues[language][key];
  if (params === undefined) {
    return template;
  }
  return template.replace(/\{(\w+)\}/g, (placeholder, name: string) => {
    const value = params[name];
    return value === undefined ? placeholder : String(value);
  });
}

/** Reports whether `key` names a message, for codes that come from the server. */
export function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(es, key);
}

type Listener = (language: Language) => void;

function browserStorage(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

function browserLanguages(): readonly string[] {
  if (typeof navigator === 'undefined') {
    return [];
  }
  return navigator.languages?.length ? navigator.languages : [navigator.language];
}

/** Current UI language for one page, shared by the components and the API client. */
export class LanguageStore {
  private current: Language;
  private readonly listeners = new Set<Listener>();

  constructor(initial: Language = detectLanguage(browserStorage(), browserLanguages())) {
    this.current = initial;
    this.applyToDocument();
  }

  get language(): Language {
    return this.current;
  }

  /** Switches the language and stores it as the user's explicit choice. */
  choose(language: Language): void {
    try {
      browserStorage()?.setItem(LANGUAGE_STORAGE_KEY, language);
    } catch {
      // The choice still applies to this page, but it is not remembered.
    }
    if (language === this.current) {
      return;
    }
    this.current = language;
    this.applyToDocument();
    for (const listener of this.listeners) {
      listener(language);
    }
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private applyToDocument(): void {
    if (typeof document !== 'undefined') {
      document.documentElement.lang = languageTag(this.current);
    }
  }
}
