// The questionnaire of a visit. Every change is written to the draft in
// IndexedDB at once, so a reload, a crash or a flat battery loses nothing.

import { Fragment } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Answer, Answers, FormDefinition } from '../../shared/forms/model';
import { langText, type SubmissionProblem } from '../../shared/forms/model';
import { validateSubmission } from '../../shared/forms/validate';
import type { Language, MessageKey } from '../../shared/i18n';
import { useI18n, type I18n } from '../../shared/ui/i18n-context';
import { useServices } from '../services';
import { reportStorageError } from '../storage-error';
import { sha256Hex } from '../storage/ids';
import { QuestionField, type AttachRequest } from './QuestionField';
import { addInstance, instancesOf, parseSlotKey, removeInstance, withAnswerAt } from './instances';
import { answerText, evaluateForm, submittedAnswers, withDefaults, type FormState, type QuestionState } from './runtime';

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
  const [saveError, setSaveError] = useState<MessageKey | null>(null);
  const [problems, setProblems] = useState<SubmissionProblem[]>([]);
  const writes = useRef<Promise<unknown>>(Promise.resolve());
  const state = useMemo(() => evaluateForm(props.definition, answers, Date.now(), props.external), [props.definition, answers]);

  // Writes run one after another, so an older answer never overwrites a newer one.
  const persist = (next: Answers) => {
    writes.current = writes.current
      .then(() => services.outbox.saveAnswers(props.recordId, next))
      .then(
        () => setSaveError(null),
        (error: unknown) => setSaveError(reportStorageError('Saving the draft answers failed', error)),
      );
  };

  useEffect(() => {
    // Stores defaults and external values the first time the form opens.
    persist(answers);
  }, []);

  const update = (change: (previous: Answers) => Answers) => {
    setAnswers((previous) => {
      const next = change(previous);
      persist(next);
      return next;
    });
  };

  const onAnswer = (key: string, value: Answer) => update((previous) => withAnswerAt(previous, parseSlotKey(key), value));

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
      document.getElementById(`q-${first?.key ?? ''}`)?.focus();
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
  const { firstOfInstance, repeatFixed } = instanceStarts(state.questions);

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
      {state.questions.map((questionState) => {
        const { question, instance, key } = questionState;
        const startsInstance = instance !== null && firstOfInstance.has(key);
        if (!questionState.relevant && !startsInstance) return null;
        if (question.type === 'group') {
          return (
            <h3 key={key} class="question-group">
              {langText(question.label, language)}
            </h3>
          );
        }
        if (questionState.repeat !== undefined) {
          return (
            <RepeatHeader
              key={key}
              state={questionState}
              onAdd={() => update((previous) => addInstance(props.definition, previous, question.name))}
            />
          );
        }
        const scoped = instance === null ? state.answers : { ...state.answers, ...instancesOf(state.answers, instance.repeat)[instance.index] };
        return (
          <Fragment key={key}>
            {startsInstance && instance !== null ? (
              <InstanceHeader
                repeat={instance.repeat}
                index={instance.index}
                fixed={repeatFixed.get(instance.repeat) ?? false}
                onRemove={() => update((previous) => removeInstance(previous, instance.repeat, instance.index))}
              />
            ) : null}
            {questionState.relevant ? (
              <QuestionField
                definition={props.definition}
                state={questionState}
                answer={instance === null ? state.answers[question.name] : scoped[question.name]}
                answers={scoped}
                showProblem={showProblems}
                onAnswer={onAnswer}
                onAttach={onAttach}
              />
            ) : null}
          </Fragment>
        );
      })}
      {saveError !== null ? (
        <p role="alert" class="form-error">
          {t('field.form.saveFailed', { reason: t(saveError) })}
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
          {problems.map((problem) => {
            const label = problemLabel(problem.path, state, language, t);
            return (
              <li key={`${problem.path}-${problem.code}`}>
                {label}: {problemMessage(problem, label, language)}
              </li>
            );
          })}
        </ul>
      ) : null}
      <button type="submit" class="button button--primary button--block" disabled={props.submitting}>
        {props.submitting ? t('field.sending') : t('field.form.finish')}
      </button>
    </form>
  );
}

/**
 * Returns the on-screen label for a problem's path (`name`, or
 * `repeat[index].name` with the index from 0), with the item number inside a
 * repeat. Falls back to the path when the form has no such question.
 */
function problemLabel(path: string, state: FormState, language: Language, t: I18n['t']): string {
  const found = state.questions.find((q) => q.key === path);
  if (found === undefined) return path;
  const scoped = found.instance === null ? state.answers : { ...state.answers, ...instancesOf(state.answers, found.instance.repeat)[found.instance.index] };
  // The same `${name}` substitution QuestionField applies to the label on screen.
  const template = langText(found.question.label, language) || found.question.name;
  const label = template.replace(/\$\{([A-Za-z_][\w.-]*)\}/g, (_, name: string) => answerText(scoped[name]));
  return found.instance === null ? label : t('field.form.problemItem', { label, number: found.instance.index + 1 });
}

/** Returns the problem's message with the quoted internal path replaced by the label. */
function problemMessage(problem: SubmissionProblem, label: string, language: Language): string {
  if (language === 'en') return problem.message_en.split(`'${problem.path}'`).join(`'${label}'`);
  return problem.message_es.split(`«${problem.path}»`).join(`«${label}»`);
}

/** Finds the first question of each repeat instance, where the instance's heading goes. */
function instanceStarts(states: QuestionState[]): { firstOfInstance: Set<string>; repeatFixed: Map<string, boolean> } {
  const firstOfInstance = new Set<string>();
  const repeatFixed = new Map<string, boolean>();
  const seen = new Set<string>();
  for (const state of states) {
    if (state.repeat !== undefined && state.relevant) repeatFixed.set(state.question.name, state.repeat.fixed);
    // Instances of a hidden repeat get no heading.
    if (state.instance === null || !repeatFixed.has(state.instance.repeat)) continue;
    const instanceKey = `${state.instance.repeat}[${state.instance.index}]`;
    if (seen.has(instanceKey)) continue;
    seen.add(instanceKey);
    firstOfInstance.add(state.key);
  }
  return { firstOfInstance, repeatFixed };
}

function RepeatHeader(props: { state: QuestionState; onAdd: () => void }) {
  const { t, language } = useI18n();
  const { question, repeat } = props.state;
  const label = langText(question.label, language) || question.name;
  return (
    <div class="question-repeat">
      <h3 class="question-group">{label}</h3>
      <p class="hint">{t('field.form.repeatCount', { count: repeat?.count ?? 0 })}</p>
      {repeat?.fixed ? null : (
        <button type="button" class="button" onClick={props.onAdd}>
          {t('field.form.repeatAdd', { label })}
        </button>
      )}
    </div>
  );
}

function InstanceHeader(props: { repeat: string; index: number; fixed: boolean; onRemove: () => void }) {
  const { t } = useI18n();
  return (
    <div class="question-instance">
      <h4>{t('field.form.repeatItem', { number: props.index + 1 })}</h4>
      {props.fixed ? null : (
        <button type="button" class="button" onClick={props.onRemove} aria-label={t('field.form.repeatRemoveLabel', { number: props.index + 1 })}>
          {t('field.form.repeatRemove')}
        </button>
      )}
    </div>
  );
}
