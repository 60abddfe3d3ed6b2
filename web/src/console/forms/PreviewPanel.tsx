// Live check of sample answers against a form version, with the validator the
// field app and the server apply (web/src/shared/forms/validate.ts).

import { useMemo, useState } from 'preact/hooks';
import type { Answers, FormDefinition } from '../../shared/forms/model';
import { validateSubmission } from '../../shared/forms/validate';
import { useI18n } from '../../shared/ui/i18n-context';

/** Returns the current local time as RFC 3339 with the browser's UTC offset. */
function localNow(): string {
  const now = new Date();
  const offset = -now.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const pad = (n: number) => String(Math.trunc(Math.abs(n))).padStart(2, '0');
  const local = new Date(now.getTime() + offset * 60_000).toISOString().slice(0, 19);
  return `${local}${sign}${pad(offset / 60)}:${pad(offset % 60)}`;
}

export function PreviewPanel(props: { definition: FormDefinition }) {
  const { t, language } = useI18n();
  const [text, setText] = useState('{}');
  const [external, setExternal] = useState('{}');

  const outcome = useMemo(() => {
    let answers: Answers;
    let values: Record<string, string>;
    try {
      answers = JSON.parse(text) as Answers;
      values = JSON.parse(external) as Record<string, string>;
    } catch (error) {
      return { kind: 'json' as const, detail: error instanceof Error ? error.message : String(error) };
    }
    if (typeof answers !== 'object' || answers === null || Array.isArray(answers)) {
      return { kind: 'json' as const, detail: '{}' };
    }
    return { kind: 'result' as const, result: validateSubmission(props.definition, answers, { now: localNow(), external: values }) };
  }, [text, external, props.definition]);

  return (
    <div class="forms-page__preview">
      <h3>{t('forms.previewHeading')}</h3>
      <label>
        {t('forms.previewAnswers')}
        <textarea rows={8} value={text} onInput={(event) => setText((event.currentTarget as HTMLTextAreaElement).value)} />
      </label>
      <label>
        {t('forms.previewExternal')}
        <textarea rows={2} value={external} onInput={(event) => setExternal((event.currentTarget as HTMLTextAreaElement).value)} />
      </label>
      <div role="status" aria-live="polite">
        {outcome.kind === 'json' ? (
          <p>{t('forms.previewInvalidJson', { detail: outcome.detail })}</p>
        ) : outcome.result.ok ? (
          <p>
            {t('forms.previewValid')} <code>{JSON.stringify(outcome.result.value.answers)}</code>
          </p>
        ) : (
          <ul>
            {outcome.result.problems.map((problem, index) => (
              <li key={index}>
                <code>{problem.path}</code> ({problem.code}): {language === 'en' ? problem.message_en : problem.message_es}
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
