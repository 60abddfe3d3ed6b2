// Preact bindings for the language store.

import { createContext, type ComponentChildren } from 'preact';
import { useCallback, useContext, useEffect, useState } from 'preact/hooks';
import { translate, type Language, type LanguageStore, type MessageKey } from '../i18n';

export interface I18n {
  language: Language;
  t: (key: MessageKey, params?: Record<string, string | number>) => string;
  choose: (language: Language) => void;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider(props: { store: LanguageStore; children: ComponentChildren }) {
  const { store } = props;
  const [language, setLanguage] = useState(store.language);

  useEffect(() => store.subscribe(setLanguage), [store]);

  const t = useCallback(
    (key: MessageKey, params?: Record<string, string | number>) => translate(language, key, params),
    [language],
  );
  const choose = useCallback((next: Language) => store.choose(next), [store]);

  return <I18nContext.Provider value={{ language, t, choose }}>{props.children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (value === null) {
    throw new Error('useI18n must be called inside <I18nProvider>');
  }
  return value;
}
