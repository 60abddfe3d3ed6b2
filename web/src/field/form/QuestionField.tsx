// One question of the questionnaire, drawn by type. Answers go up typed:
// numbers as numbers, select_multiple as an array, photos and signatures as
// the SHA-256 of their stored bytes.

import { useEffect, useState } from 'preact/hooks';
import type { Answer, FormDefinition, Question } from '../../shared/forms/model';
import type { MessageKey } from '../../shared/i18n';
import { langText } from '../../shared/forms/model';
import { useI18n } from '../../shared/ui/i18n-context';
import { useServices } from '../services';
import { DEFAULT_MAX_PIXELS, resizePhoto } from './image';
import { answerText, type QuestionState } from './runtime';
import { SignaturePad } from './SignaturePad';

export interface AttachRequest {
  question: string;
  kind: 'photo' | 'signature';
  data: ArrayBuffer;
  contentType: string;
}

interface Props {
  definition: FormDefinition;
  state: QuestionState;
  answer: Answer | undefined;
  answers: Record<string, Answer>;
  showProblem: boolean;
  /** Receives the state's slot key (see ./instances.ts) and the new answer. */
  onAnswer: (key: string, value: Answer) => void;
  onAttach: (request: AttachRequest) => Promise<void>;
}

const PROBLEM_KEYS: Record<NonNullable<QuestionState['problem']>['code'], MessageKey> = {
  required: 'field.form.required',
  constraint: 'field.form.constraint',
  expression: 'field.form.expression',
};

const INPUT_TYPES: Partial<Record<Question['type'], 'date' | 'time' | 'datetime-local'>> = {
  date: 'date',
  time: 'time',
  datetime: 'datetime-local',
};

/** Returns the choice names an answer holds: a select_multiple array, or one select_one name. */
function selectedNames(value: Answer | undefined, text: string): string[] {
  if (Array.isArray(value)) return value as string[];
  return text === '' ? [] : [text];
}

/** Replaces `${name}` in labels and notes with the current answer. */
function interpolate(text: string, answers: Record<string, Answer>): string {
  return text.replace(/\$\{([A-Za-z_][\w.-]*)\}/g, (_, name: string) => answerText(answers[name]));
}

function parseNumber(text: string, integer: boolean): Answer {
  const cleaned = text.trim().replace(/,/g, '');
  if (cleaned === '') return null;
  const value = Number(cleaned);
  if (!Number.isFinite(value)) return text;
  return integer && !Number.isInteger(value) ? text : value;
}

/** Keeps the typed text while the stored answer is a number, so "12." stays on screen. */
function NumberInput(props: {
  id: string;
  value: string;
  readOnly: boolean;
  integer: boolean;
  'aria-invalid': 'true' | undefined;
  'aria-describedby': string | undefined;
  onValue: (value: Answer) => void;
}) {
  const { value, integer, onValue, ...rest } = props;
  const [typed, setTyped] = useState(value);
  useEffect(() => {
    if (parseNumber(typed, integer) !== parseNumber(value, integer)) setTyped(value);
  }, [value]);
  return (
    <input
      {...rest}
      type="text"
      inputMode={integer ? 'numeric' : 'decimal'}
      value={typed}
      onInput={(e) => {
        setTyped(e.currentTarget.value);
        onValue(parseNumber(e.currentTarget.value, integer));
      }}
    />
  );
}

function StoredImage(props: { sha256: string; alt: string }) {
  const services = useServices();
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let objectUrl: string | null = null;
    void services.outbox.blob(props.sha256).then((blob) => {
      if (blob === undefined) return;
      objectUrl = URL.createObjectURL(new Blob([blob.data], { type: blob.content_type }));
      setUrl(objectUrl);
    });
    return () => {
      if (objectUrl !== null) URL.revokeObjectURL(objectUrl);
    };
  }, [props.sha256]);
  return url === null ? null : <img class="photo-preview" src={url} alt={props.alt} />;
}

export function QuestionField(props: Props) {
  const { t, language } = useI18n();
  const { question, required, readOnly, problem } = props.state;
  const [busy, setBusy] = useState(false);
  const [photoError, setPhotoError] = useState<MessageKey | null>(null);
  const id = `q-${props.state.key}`;
  const label = interpolate(langText(question.label, language) || question.name, props.answers);
  const hint = question.hint === undefined ? '' : interpolate(langText(question.hint, language), props.answers);
  const value = props.answer;
  const text = answerText(value);
  const set = (next: Answer) => props.onAnswer(props.state.key, next);
  const problemText = problem === null || !props.showProblem ? null : langText(problem.message ?? undefined, language) || t(PROBLEM_KEYS[problem.code]);
  const describedBy = [hint ? `${id}-hint` : '', problemText ? `${id}-problem` : ''].filter(Boolean).join(' ') || undefined;

  const labelNode = (
    <>
      {label}
      {required ? <span aria-hidden="true"> *</span> : null}
    </>
  );
  const footer = (
    <>
      {hint ? (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      ) : null}
      {problemText ? (
        <p id={`${id}-problem`} class="form-error" role="alert">
          {problemText}
        </p>
      ) : null}
    </>
  );

  switch (question.type) {
    case 'calculate':
    case 'group':
    case 'repeat':
      return null;
    case 'note':
      return (
        <div class="question question--note">
          <p>{label}</p>
          {footer}
        </div>
      );
    case 'select_one':
    case 'select_multiple': {
      const multiple = question.type === 'select_multiple';
      const selected = selectedNames(value, text);
      return (
        <fieldset class="question choices" aria-describedby={describedBy}>
          <legend>{labelNode}</legend>
          {props.state.choices.map((choice) => {
            const checked = selected.includes(choice.name);
            return (
              <label key={choice.name} class={checked ? 'choice choice--checked' : 'choice'}>
                <input
                  type={multiple ? 'checkbox' : 'radio'}
                  name={id}
                  value={choice.name}
                  checked={checked}
                  disabled={readOnly}
                  onChange={() => {
                    if (!multiple) set(choice.name);
                    else set(checked ? selected.filter((s) => s !== choice.name) : [...selected, choice.name]);
                  }}
                />
                <span>{langText(choice.label, language) || choice.name}</span>
              </label>
            );
          })}
          {footer}
        </fieldset>
      );
    }
    case 'acknowledge':
      return (
        <div class="question">
          <label class={text === 'OK' ? 'choice choice--checked' : 'choice'}>
            <input type="checkbox" id={id} checked={text === 'OK'} disabled={readOnly} onChange={(e) => set(e.currentTarget.checked ? 'OK' : null)} aria-describedby={describedBy} />
            <span>{labelNode}</span>
          </label>
          {footer}
        </div>
      );
    case 'image':
      return (
        <div class="question">
          <label for={id}>{labelNode}</label>
          {text !== '' ? <StoredImage sha256={text} alt={label} /> : null}
          <input
            id={id}
            class="file-input"
            type="file"
            accept="image/*"
            capture="environment"
            disabled={readOnly || busy}
            aria-describedby={describedBy}
            onChange={async (e) => {
              const input = e.currentTarget;
              const file = input.files?.[0];
              if (file === undefined) return;
              setBusy(true);
              setPhotoError(null);
              try {
                let image;
                try {
                  image = await resizePhoto(file, question.parameters?.max_pixels ?? DEFAULT_MAX_PIXELS);
                } catch (failure) {
                  console.warn('The photo could not be decoded', failure);
                  setPhotoError('field.photo.unreadable');
                  return;
                }
                try {
                  await props.onAttach({ question: props.state.key, kind: 'photo', data: image.data, contentType: image.contentType });
                } catch (failure) {
                  console.error('The photo could not be stored', failure);
                  setPhotoError('field.photo.notSaved');
                }
              } finally {
                // Lets the agent pick the same file again after a failure.
                input.value = '';
                setBusy(false);
              }
            }}
          />
          {busy ? <p role="status">{t('field.form.processingPhoto')}</p> : null}
          {photoError !== null ? (
            <p role="alert" class="form-error">
              {t(photoError)}
            </p>
          ) : null}
          {footer}
        </div>
      );
    case 'signature':
      return (
        <div class="question">
          <label for={id}>{labelNode}</label>
          {text !== '' ? <StoredImage sha256={text} alt={label} /> : null}
          <SignaturePad
            id={id}
            saved={text !== ''}
            onSave={(png) => props.onAttach({ question: props.state.key, kind: 'signature', data: png, contentType: 'image/png' })}
          />
          {footer}
        </div>
      );
    default: {
      const numeric = question.type === 'integer' || question.type === 'decimal';
      const inputType = INPUT_TYPES[question.type] ?? 'text';
      const multiline = question.type === 'text' && (question.appearance ?? '').includes('multiline');
      const common = {
        id,
        value: text,
        readOnly,
        'aria-invalid': problemText !== null ? ('true' as const) : undefined,
        'aria-describedby': describedBy,
      };
      return (
        <div class="question form-field">
          <label for={id}>{labelNode}</label>
          {multiline ? (
            <textarea {...common} rows={4} onInput={(e) => set(e.currentTarget.value)} />
          ) : numeric ? (
            <NumberInput {...common} integer={question.type === 'integer'} onValue={set} />
          ) : inputType === 'text' ? (
            <input {...common} type="text" onInput={(e) => set(e.currentTarget.value)} />
          ) : (
            <input {...common} type={inputType} onInput={(e) => set(e.currentTarget.value)} />
          )}
          {footer}
        </div>
      );
    }
  }
}
