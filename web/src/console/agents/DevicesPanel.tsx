// One agent's tracking devices: the list, registration and revocation.
// Only admins and supervisors see this panel, because the server lists and
// changes devices only for them.

import { useRef, useState } from 'preact/hooks';
import type { ApiClient } from '../../shared/api';
import { describeError } from '../../shared/errors';
import type { User } from '../../shared/types';
import { useI18n } from '../../shared/ui/i18n-context';
import { revokeDevice, type Device } from './api';
import { RegisterDeviceDialog } from './RegisterDeviceDialog';

interface DevicesPanelProps {
  api: ApiClient;
  agent: User;
  devices: Device[];
  onChanged: () => void;
}

export function DevicesPanel(props: DevicesPanelProps) {
  const { t } = useI18n();
  const [registering, setRegistering] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pendingId, setPendingId] = useState<string | null>(null);
  const registerButton = useRef<HTMLButtonElement>(null);

  const closeDialog = () => {
    setRegistering(false);
    // Back on the page, focus returns to the button that opened the dialog.
    setTimeout(() => registerButton.current?.focus(), 0);
  };

  const revoke = async (device: Device) => {
    if (!window.confirm(t('agents.revokeConfirm', { name: device.name }))) return;
    setPendingId(device.id);
    setError(null);
    setMessage(null);
    try {
      await revokeDevice(props.api, device.id);
      setMessage(t('agents.revoked', { name: device.name }));
      props.onChanged();
    } catch (failure) {
      setError(describeError(failure, t));
    } finally {
      setPendingId(null);
    }
  };

  const active = props.agent.active;

  return (
    <section class="agent-panel" aria-labelledby="devices-title">
      <div class="agent-panel__heading">
        <h3 id="devices-title">{t('agents.devicesTitle')}</h3>
        {active ? (
          <button
            ref={registerButton}
            type="button"
            class="button button--primary button--small"
            onClick={() => setRegistering(true)}
          >
            {t('agents.registerDevice')}
          </button>
        ) : null}
      </div>
      {message === null ? null : (
        <p role="status" class="notice">
          {message}
        </p>
      )}
      {error === null ? null : (
        <p role="alert" class="form-error">
          {error}
        </p>
      )}
      {props.devices.length === 0 ? (
        <p class="empty-state__body">{active ? t('agents.noDevices') : t('agents.noDevicesInactive')}</p>
      ) : (
        <table class="agents-table">
          <thead>
            <tr>
              <th scope="col">{t('agents.colDevice')}</th>
              <th scope="col">{t('agents.colKind')}</th>
              <th scope="col">{t('agents.colIdentifier')}</th>
              <th scope="col">{t('agents.colStatus')}</th>
              <th scope="col">
                <span class="visually-hidden">{t('agents.colActions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {props.devices.map((device) => (
              <tr key={device.id}>
                <td>{device.name}</td>
                <td>{t(`agents.kind.${device.kind}`)}</td>
                <td>
                  <code>{device.device_identifier}</code>
                </td>
                <td>{device.revoked_at === null ? t('agents.deviceActive') : t('agents.deviceRevoked')}</td>
                <td>
                  {device.revoked_at === null ? (
                    <button
                      type="button"
                      class="button button--danger button--small"
                      disabled={pendingId === device.id}
                      aria-label={t('agents.revokeLabel', { name: device.name })}
                      onClick={() => void revoke(device)}
                    >
                      {t('agents.revoke')}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {registering ? (
        <RegisterDeviceDialog
          api={props.api}
          agent={props.agent}
          onRegistered={() => props.onChanged()}
          onClose={closeDialog}
        />
      ) : null}
    </section>
  );
}
