// Dialog that registers a tracking device for one agent, then shows the
// settings to copy into Traccar Client or OwnTracks. The secret is part of
// those settings and the server shows it only in this response.

import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiClient } from '../../shared/api';
import { describeError } from '../../shared/errors';
import type { User } from '../../shared/types';
import { useI18n } from '../../shared/ui/i18n-context';
import { createDevice, type CreatedDevice } from './api';
import { QrCode } from './QrCode';

interface RegisterDeviceDialogProps {
  api: ApiClient;
  agent: User;
  onRegistered: (created: CreatedDevice) => void;
  onClose: () => void;
}

export function RegisterDeviceDialog(props: RegisterDeviceDialogProps) {
  const { t } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const [created, setCreated] = useState<CreatedDevice | null>(null);

  // A modal dialog keeps keyboard focus inside it and closes with Escape.
  useEffect(() => {
    const element = dialog.current;
    if (element === null || element.open) return;
    if (typeof element.showModal === 'function') {
      element.showModal();
    } else {
      element.setAttribute('open', '');
    }
  }, []);

  const registered = (result: CreatedDevice) => {
    setCreated(result);
    props.onRegistered(result);
  };

  return (
    <dialog
      ref={dialog}
      class="device-dialog"
      aria-labelledby="device-dialog-title"
      onCancel={(event) => {
        event.preventDefault();
        props.onClose();
      }}
    >
      <h2 id="device-dialog-title">{t('agents.registerTitle', { name: props.agent.name })}</h2>
      {created === null ? (
        <DeviceForm api={props.api} agent={props.agent} onCreated={registered} onCancel={props.onClose} />
      ) : (
        <DeviceSettings created={created} onDone={props.onClose} />
      )}
    </dialog>
  );
}

function DeviceForm(props: { api: ApiClient; agent: User; onCreated: (created: CreatedDevice) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [name, setName] = useState(t('agents.defaultDeviceName', { name: props.agent.name }));
  const [kind, setKind] = useState<'osmand' | 'owntracks'>('osmand');
  const [identifier, setIdentifier] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (name.trim() === '') {
      setError(t('agents.deviceNameRequired'));
      return;
    }
    setPending(true);
    setError(null);
    try {
      const request = { agent_id: String(props.agent.id), name: name.trim(), kind };
      const trimmed = identifier.trim();
      const created = await createDevice(props.api, trimmed === '' ? request : { ...request, device_identifier: trimmed });
      props.onCreated(created);
    } catch (failure) {
      setError(describeError(failure, t));
      setPending(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      <div class="form-field">
        <label for="device-name">{t('agents.deviceName')}</label>
        <input id="device-name" value={name} onInput={(event) => setName(event.currentTarget.value)} />
      </div>
      <fieldset class="device-dialog__kinds">
        <legend>{t('agents.deviceKind')}</legend>
        <label>
          <input type="radio" name="device-kind" checked={kind === 'osmand'} onChange={() => setKind('osmand')} />
          {t('agents.kind.osmand')}
        </label>
        <label>
          <input type="radio" name="device-kind" checked={kind === 'owntracks'} onChange={() => setKind('owntracks')} />
          {t('agents.kind.owntracks')}
        </label>
      </fieldset>
      <div class="form-field">
        <label for="device-identifier">{t('agents.deviceIdentifier')}</label>
        <input
          id="device-identifier"
          value={identifier}
          aria-describedby="device-identifier-hint"
          onInput={(event) => setIdentifier(event.currentTarget.value)}
        />
        <p id="device-identifier-hint" class="hint">
          {kind === 'osmand' ? t('agents.identifierHintOsmand') : t('agents.identifierHintOwntracks')}
        </p>
      </div>
      {error === null ? null : (
        <p role="alert" class="form-error">
          {error}
        </p>
      )}
      <div class="device-dialog__actions">
        <button type="submit" class="button button--primary" disabled={pending}>
          {pending ? t('agents.registering') : t('agents.register')}
        </button>
        <button type="button" class="button" onClick={props.onCancel}>
          {t('agents.cancel')}
        </button>
      </div>
    </form>
  );
}

function DeviceSettings(props: { created: CreatedDevice; onDone: () => void }) {
  const { t } = useI18n();
  const { created } = props;
  const doneButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    doneButton.current?.focus();
  }, []);

  return (
    <div class="device-settings">
      <p role="status" class="notice">
        {t('agents.secretOnce')}
      </p>
      {created.traccar_client === null ? null : (
        <div class="device-settings__grid">
          <div>
            <p>{t('agents.traccarSteps')}</p>
            <CopyField id="traccar-url" label={t('agents.serverUrl')} value={created.traccar_client.server_url} />
            <CopyField
              id="traccar-identifier"
              label={t('agents.deviceIdentifierShort')}
              value={created.traccar_client.device_identifier}
            />
            <p class="hint">{t('agents.traccarHint')}</p>
          </div>
          <figure class="device-settings__qr">
            <QrCode text={created.traccar_client.server_url} label={t('agents.qrLabel')} />
            <figcaption>{t('agents.qrCaption')}</figcaption>
          </figure>
        </div>
      )}
      {created.owntracks === null ? null : (
        <div>
          <p>{t('agents.owntracksSteps')}</p>
          <CopyField id="owntracks-url" label={t('agents.serverUrl')} value={created.owntracks.url} />
          <CopyField id="owntracks-user" label={t('agents.owntracksUser')} value={created.owntracks.user} />
          <CopyField id="owntracks-device" label={t('agents.owntracksDevice')} value={created.owntracks.device_id} />
          <CopyField id="owntracks-password" label={t('agents.owntracksPassword')} value={created.owntracks.password} />
        </div>
      )}
      <div class="device-dialog__actions">
        <button ref={doneButton} type="button" class="button button--primary" onClick={props.onDone}>
          {t('agents.done')}
        </button>
      </div>
    </div>
  );
}

function CopyField(props: { id: string; label: string; value: string }) {
  const { t } = useI18n();
  const [message, setMessage] = useState<string | null>(null);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.value);
      setMessage(t('agents.copied'));
    } catch {
      // Without clipboard access (plain HTTP on a LAN address) the text stays selectable.
      setMessage(t('agents.copyFailed'));
    }
  };

  return (
    <div class="form-field copy-field">
      <label for={props.id}>{props.label}</label>
      <div class="copy-field__row">
        <input id={props.id} readOnly value={props.value} onFocus={(event) => event.currentTarget.select()} />
        <button type="button" class="button button--small" onClick={copy} aria-describedby={`${props.id}-copy-status`}>
          {t('agents.copy')}
        </button>
      </div>
      <p id={`${props.id}-copy-status`} class="hint" aria-live="polite">
        {message ?? ''}
      </p>
    </div>
  );
}
