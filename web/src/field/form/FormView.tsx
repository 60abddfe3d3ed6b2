// The questionnaire of a visit. Every change is written to the draft in
// IndexedDB at once, so a reload, a crash or a flat battery loses nothing.

import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Answer, Answers, FormDefinition } from '../../shared/forms/model';
import { langText, type SubmissionProblem } from '../../shared/forms/model';
import { validateSubmission } from '../../shared/forms/validate';
import { useI18n } from '../../shared/ui/i18n-context';
import { useServices } from '../services';
import { sha256Hex } from '../storage/ids';
import { QuestionField, type AttachRequest } from './QuestionField';
import { answerText, evaluateForm, submittedAnswers, withDefaults } from './runtime';

/** RFC 3339 in the device's offset, the clock today() and now() read. */
export function localRfc3339(ms: number): string {
  const offset = -new Date(ms).getTimezoneOffset();
  const local = new Date(ms + offset * 60_000).toISOString().slice(0, 19);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

interface Props {
  recordId: string;
  definition: FormDefinition;
  initial: Answers;
  /** Values of questions with appearance "external", from the account. */
  external: Record<string, Answer>;
  onSubmit: (answers: Answers) => Promise<void>;
  submitting: boolean;
}

export function FormView(props: Props) {
  const { t, language } = useI18n();
  const services = useServices();
  const [answers, setAnswers] = useState<Answers>(() => withDefaults(props.definition, props.initial));
  const [showProblems, setShowProblems] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [problems, setProblems] = useState<SubmissionProblem[]>([]);
  const writes = useRef<Promise<unknown>>(Promise.resolve());
  const state = useMemo(() => evaluateForm(props.definition, answers, Date.now(), props.external), [props.definition, answers]);

  // Writes run one after another, so an older answer never overwrites a newer one.
  const persist = (next: Answers) => {
    writes.current = writes.current
      .then(() => services.outbox.saveAnswers(props.recordId, next))
      .then(
        () => setSaveError(null),
        (error: unknown) => setSaveError(error instanceof Error ? error.message : String(error)),
      );
  };

  useEffect(() => {
    // Stores defaults and external values the first time the form opens.
    persist(answers);
  }, []);

  const onAnswer = (name: string, value: Answer) => {
    setAnswers((previous) => {
      const next = { ...previous, [name]: value };
      persist(next);
      return next;
    });
  };

  const onAttach = async (request: AttachRequest) => {
    const sha256 = await sha256Hex(request.data);
    await writes.current;
    await services.outbox.attach(
      props.recordId,
      { sha256, kind: request.kind, content_type: request.contentType, bytes: request.data.byteLength, question: request.question },
      request.data,
    );
    onAnswer(request.question, sha256);
  };

  const submit = async () => {
    setShowProblems(true);
    if (!state.valid) {
      const first = state.questions.find((q) => q.relevant && q.problem !== null);
      document.getElementById(`q-${first?.question.name ?? ''}`)?.focus();
      return;
    }
    await writes.current;
    // The same validation the server runs, so a visit it would refuse never leaves the form.
    const external = Object.fromEntries(Object.entries(props.external).map(([name, value]) => [name, answerText(value)]));
    const result = validateSubmission(props.definition, submittedAnswers(state), { now: localRfc3339(Date.now()), external });
    if (!result.ok) {
      setProblems(result.problems);
      return;
    }
    setProblems([]);
    await props.onSubmit(result.value.answers);
  };

  const problemCount = state.questions.filter((q) => q.relevant && q.problem !== null).length;

  return (
    <form
      class="questionnaire"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <h2>{langText(props.definition.title, language)}</h2>
      {state.questions.map((questionState) =>
        !questionState.relevant ? null : questionState.question.type === 'group' ? (
          <h3 key={questionState.question.name} class="question-group">
            {langText(questionState.question.label, language)}
          </h3>
        ) : (
          <QuestionField
            key={questionState.question.name}
            definition={props.definition}
            state={questionState}
            answer={state.answers[questionState.question.name]}
            answers={state.answers}
            showProblem={showProblems}
            onAnswer={onAnswer}
            onAttach={onAttach}
          />
        ),
      )}
      {saveError !== null ? (
        <p role="alert" class="form-error">
          {t('field.form.saveFailed', { reason: saveError })}
        </p>
      ) : (
        <p class="hint" role="status">
          {t('field.form.savedOnDevice')}
        </p>
      )}
      {showProblems && problemCount > 0 ? (
        <p role="alert" class="form-error">
          {t('field.form.problems', { count: problemCount })}
        </p>
      ) : null}
      {problems.length > 0 ? (
        <ul role="alert" class="form-error">
          {problems.map((problem) => (
            <li key={`${problem.path}-${problem.code}`}>
              {problem.path}: {language === 'en' ? problem.message_en : problem.message_es}
            </li>
          ))}
        </ul>
      ) : null}
      <button type="submit" class="button button--primary button--block" disabled={props.submitting}>
        {props.submitting ? t('field.sending') : t('field.form.finish')}
      </button>
    </form>
  );
}
