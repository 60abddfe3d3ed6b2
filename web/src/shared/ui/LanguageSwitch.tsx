// ES/EN toggle. Each button names its language in that language, so a user
// who cannot read the current one can still find their own.

import { LANGUAGES, languageTag } from '../i18n';
import { useI18n } from './i18n-context';

export function LanguageSwitch() {
  const { language, t, choose } = useI18n();

  return (
    <div class="lang-switch" role="group" aria-label={t('language.label')}>
      {LANGUAGES.map((option) => (
        <button
          key={option}
          type="button"
          class="lang-switch__option"
          lang={languageTag(option)}
          aria-pressed={option === language}
          aria-label={t(`language.${option}`)}
          onClick={() => choose(option)}
        >
          {option.toUpperCase()}
        </button>
      ))}
    </div>
  );
}
