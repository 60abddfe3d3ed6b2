// Admin-only user management: list, create, deactivate and reactivate users of
// the signed-in organization.

import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type ApiClient } from '../shared/api';
import { describeError } from '../shared/errors';
import { ROLES, type NewUser, type Role, type User } from '../shared/types';
import { useI18n } from '../shared/ui/i18n-context';

type LoadState = { kind: 'loading' } | { kind: 'failed'; message: string } | { kind: 'loaded'; users: User[] };

export function UsersPage(props: { api: ApiClient; currentUser: User }) {
  const { api } = props;
  const { t } = useI18n();
  const [load, setLoad] = useState<LoadState>({ kind: 'loading' });
  const [status, setStatus] = useState<string | null>(null);
  const [rowError, setRowError] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);

  const fetchUsers = () => {
    setLoad({ kind: 'loading' });
    api.listUsers().then(
      (users) => setLoad({ kind: 'loaded', users }),
      (failure: unknown) => setLoad({ kind: 'failed', message: describeError(failure, t) }),
    );
  };

  // `fetchUsers` reads `t` only for error text, so a language change needs no refetch.
  useEffect(fetchUsers, [api]);

  const replaceUser = (updated: User) => {
    setLoad((previous) =>
      previous.kind === 'loaded'
        ? { kind: 'loaded', users: previous.users.map((user) => (user.id === updated.id ? updated : user)) }
        : previous,
    );
  };

  const onCreated = (user: User) => {
    setLoad((previous) => (previous.kind === 'loaded' ? { kind: 'loaded', users: [...previous.users, user] } : previous));
    setStatus(t('users.created', { name: user.name }));
  };

  const deactivate = async (user: User) => {
    if (!window.confirm(t('users.deactivateConfirm', { name: user.name }))) {
      return;
    }
    setBusyId(String(user.id));
    setRowError(null);
    setStatus(null);
    try {
      replaceUser(await api.deactivateUser(user.id));
      setStatus(t('users.deactivated', { name: user.name }));
    } catch (failure) {
      setRowError(describeError(failure, t));
    } finally {
      setBusyId(null);
    }
  };

  const reactivate = async (user: User) => {
    setBusyId(String(user.id));
    setRowError(null);
    setStatus(null);
    try {
      replaceUser(await api.reactivateUser(user.id));
      setStatus(t('users.reactivated', { name: user.name }));
    } catch (failure) {
      setRowError(describeError(failure, t));
    } finally {
      setBusyId(null);
    }
  };

  return (
    <div class="users-page">
      <p role="status" class="status-message">
        {status}
      </p>

      <section aria-labelledby="users-list-title">
        <h2 id="users-list-title">{t('users.listTitle')}</h2>
        {rowError ? (
          <p role="alert" class="form-error">
            {rowError}
          </p>
        ) : null}
        {load.kind === 'loading' ? <p role="status">{t('users.loading')}</p> : null}
        {load.kind === 'failed' ? (
          <div role="alert" class="form-error">
            <p>{load.message}</p>
            <button type="button" class="button button--small" onClick={fetchUsers}>
              {t('common.retry')}
            </button>
          </div>
        ) : null}
        {load.kind === 'loaded' && load.users.length === 0 ? <p>{t('users.empty')}</p> : null}
        {load.kind === 'loaded' && load.users.length > 0 ? (
          <div class="table-scroll">
            <table class="users-table">
              <thead>
                <tr>
                  <th scope="col">{t('users.colName')}</th>
                  <th scope="col">{t('users.colEmail')}</th>
                  <th scope="col">{t('users.colRole')}</th>
                  <th scope="col">{t('users.colStatus')}</th>
                  <th scope="col">{t('users.colActions')}</th>
                </tr>
              </thead>
              <tbody>
                {load.users.map((user) => {
                  const isSelf = user.id === props.currentUser.id;
                  return (
                    <tr key={String(user.id)}>
                      <th scope="row">
                        {user.name}
                        {isSelf ? ` (${t('common.you')})` : ''}
                      </th>
                      <td>{user.email}</td>
                      <td>{t(`role.${user.role}`)}</td>
                      <td>{user.active ? t('users.active') : t('users.inactive')}</td>
                      <td>
                        {user.active && !isSelf ? (
                          <button
                            type="button"
                            class="button button--small button--danger"
                            aria-label={t('users.deactivateLabel', { name: user.name })}
                            disabled={busyId === String(user.id)}
                            onClick={() => deactivate(user)}
                          >
                            {t('users.deactivate')}
                          </button>
                        ) : null}
                        {!user.active ? (
                          <button
                            type="button"
                            class="button button--small"
                            aria-label={t('users.reactivateLabel', { name: user.name })}
                            disabled={busyId === String(user.id)}
                            onClick={() => reactivate(user)}
                          >
                            {t('users.reactivate')}
                          </button>
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>

      <CreateUserForm api={api} onCreated={onCreated} />
    </div>
  );
}

const EMPTY_FORM: NewUser = { email: '', name: '', role: 'agent', password: '' };
type FormField = keyof NewUser;

function CreateUserForm(props: { api: ApiClient; onCreated: (user: User) => void }) {
  const { t } = useI18n();
  const [form, setForm] = useState<NewUser>(EMPTY_FORM);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [invalidField, setInvalidField] = useState<FormField | null>(null);
  const formRef = useRef<HTMLFormElement>(null);

  const update = (field: FormField, value: string) => setForm((previous) => ({ ...previous, [field]: value }));

  const focusField = (field: FormField) => {
    formRef.current?.querySelector<HTMLElement>(`[name="${field}"]`)?.focus();
  };

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    if (pending) {
      return;
    }
    setPending(true);
    setError(null);
    setInvalidField(null);
    try {
      const user = await props.api.createUser({ ...form, email: form.email.trim(), name: form.name.trim() });
      setForm(EMPTY_FORM);
      props.onCreated(user);
      focusField('name');
    } catch (failure) {
      setError(describeError(failure, t));
      const field = failure instanceof ApiError ? failure.field : null;
      if (field !== null && field in EMPTY_FORM) {
        setInvalidField(field as FormField);
        focusField(field as FormField);
      }
    } finally {
      setPending(false);
    }
  };

  const fieldProps = (field: FormField) => ({
    id: `new-user-${field}`,
    name: field,
    'aria-invalid': invalidField === field,
    'aria-describedby': invalidField === field ? 'new-user-error' : undefined,
  });

  return (
    <section aria-labelledby="new-user-title" class="card">
      <h2 id="new-user-title">{t('users.createTitle')}</h2>
      <form ref={formRef} class="create-user-form" onSubmit={onSubmit}>
        <div class="form-field">
          <label for="new-user-name">{t('users.name')}</label>
          <input
            {...fieldProps('name')}
            type="text"
            autocomplete="off"
            required
            value={form.name}
            onInput={(event) => update('name', event.currentTarget.value)}
          />
        </div>
        <div class="form-field">
          <label for="new-user-email">{t('users.email')}</label>
          <input
            {...fieldProps('email')}
            type="email"
            autocomplete="off"
            required
            value={form.email}
            onInput={(event) => update('email', event.currentTarget.value)}
          />
        </div>
        <div class="form-field">
          <label for="new-user-role">{t('users.role')}</label>
          <select
            {...fieldProps('role')}
            value={form.role}
            onChange={(event) => update('role', event.currentTarget.value as Role)}
          >
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {t(`role.${role}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="form-field">
          <label for="new-user-password">{t('users.password')}</label>
          <input
            {...fieldProps('password')}
            type="password"
            autocomplete="new-password"
            required
            aria-describedby={
              invalidField === 'password' ? 'new-user-error new-user-password-hint' : 'new-user-password-hint'
            }
            value={form.password}
            onInput={(event) => update('password', event.currentTarget.value)}
          />
          <p id="new-user-password-hint" class="hint">
            {t('users.passwordHint')}
          </p>
        </div>
        <div role="alert" id="new-user-error" class={error ? 'form-error' : 'form-error form-error--empty'}>
          {error}
        </div>
        <button type="submit" class="button button--primary" disabled={pending}>
          {pending ? t('users.creating') : t('users.create')}
        </button>
      </form>
    </section>
  );
}
