import { render } from 'preact';
import { ApiClient } from '../shared/api';
import { LanguageStore, languageTag } from '../shared/i18n';
import { I18nProvider } from '../shared/ui/i18n-context';
import { ConsoleApp } from './ConsoleApp';
import './console.css';

const languages = new LanguageStore();
const api = new ApiClient({ acceptLanguage: () => languageTag(languages.language) });

const root = document.getElementById('root');
if (root === null) {
  throw new Error('Missing #root element in index.html');
}

render(
  <I18nProvider store={languages}>
    <ConsoleApp api={api} />
  </I18nProvider>,
  root,
);
