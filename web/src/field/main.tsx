import { render } from 'preact';
import { ApiClient } from '../shared/api';
import { FieldApi } from '../shared/field-api';
import { LanguageStore, languageTag } from '../shared/i18n';
import { I18nProvider } from '../shared/ui/i18n-context';
import { FieldApp } from './FieldApp';
import './field.css';

const languages = new LanguageStore();
const api = new ApiClient({ acceptLanguage: () => languageTag(languages.language) });
const fieldApi = new FieldApi({ acceptLanguage: () => languageTag(languages.language) });

const root = document.getElementById('root');
if (root === null) {
  throw new Error('Missing #root element in app/index.html');
}

render(
  <I18nProvider store={languages}>
    <FieldApp api={api} fieldApi={fieldApi} />
  </I18nProvider>,
  root,
);

// The service worker exists only in the production build (vite build), where
// it precaches the app shell so the app starts with no network.
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/app/sw.js', { scope: '/app/' }).catch((error: unknown) => {
      console.error('Service worker registration failed', error);
    });
  });
}
