// Email and password form shared by the console and the field app.

import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type ApiClient } from '../api';
import { describeError } from '../errors';
import type { MessageKey } from '../i18n';
import type { Session } from '../types';
import { useI18n } from './i18n-context';

interface LoginFormProps {
  api: ApiClient;
  onLoggedIn: (session: Session) => void;
  /** Message shown above the form before any attempt, such as an expired session. */
  notice?: string | null;
  /** Disables the form, with this message, while the device is offline. */
  offlineMessageKey?: MessageKey | null;
}

type FieldName = 'email' | 'password';

export function LoginForm(props: LoginFormProps) {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [invalidField, setInvalidField] = useState<FieldName | null>(null);
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    emailRef.current?.focus();
  }, []);

  const focusField = (field: FieldName) => {
    (field === 'email' ? emailRef : passwordRef).current?.focus();
  };

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    if (pending) {
      return;
    }

    const trimmedEmail = email.trim();
    if (trimmedEmail === '' || password === '') {
      const missing: FieldName = trimmedEmail === '' ? 'email' : 'password';
      setError(t('login.missingFields'));
      setInvalidField(missing);
      focusField(missing);
      return;
    }

    setPending(true);
    setError(null);
    setInvalidField(null);
    try {
      const session = await props.api.login(trimmedEmail, password);
      props.onLoggedIn(session);
    } catch (failure) {
      setPending(false);
      setError(describeError(failure, t));
      const field = failure instanceof ApiError ? failure.field : null;
      if (field === 'email' || field === 'password') {
        setInvalidField(field);
        focusField(field);
      } else if (failure instanceof ApiError && failure.code === 'invalid_credentials') {
        setPassword('');
        focusField('password');
      }
    }
  };

  const offline = props.offlineMessageKey != null;
  const errorId = 'login-error';

  return (
    <form class="login-form" onSubmit={onSubmit} noValidate aria-describedby={error ? errorId : undefined}>
      {props.notice && !error ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      {offline ? (
        <p class="notice notice--offline" role="status">
          {t(props.offlineMessageKey!)}
        </p>
      ) : null}

      <div class="form-field">
        <label for="login-email">{t('login.email')}</label>
        <input
          ref={emailRef}
          id="login-email"
          name="email"
          type="email"
          autocomplete="username"
          inputMode="email"
          autocapitalize="none"
          spellcheck={false}
          required
          value={email}
          aria-invalid={invalidField === 'email'}
          aria-describedby={invalidField === 'email' ? errorId : undefined}
          onInput={(event) => setEmail(event.currentTarget.value)}
        />
      </div>

      <div class="form-field">
        <label for="login-password">{t('login.password')}</label>
        <input
          ref={passwordRef}
          id="login-password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
          value={password}
          aria-invalid={invalidField === 'password'}
          aria-describedby={invalidField === 'password' ? errorId : undefined}
          onInput={(event) => setPassword(event.currentTarget.value)}
        />
      </div>

      <div role="alert" id={errorId} class={error ? 'form-error' : 'form-error form-error--empty'}>
        {error}
      </div>

      <button type="submit" class="button button--primary" disabled={pending || offline}>
        {pending ? t('login.submitting') : t('login.submit')}
      </button>
    </form>
  );
}
