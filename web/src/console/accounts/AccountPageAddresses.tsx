// The addresses of an account with every Mexican address field, their points,
// and "Fijar ubicación" for an address without one: a click on the map or the
// latitude and longitude fields choose the point, so the keyboard works too.

import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../../shared/api';
import { describeError } from '../../shared/errors';
import { useI18n } from '../../shared/ui/i18n-context';
import { type AccountAddress, addressLine, type MapPoint, setAddressPoint } from './AccountPageApi';

/** Returns whether a supervisor may pin the address: it has no verified point yet. */
export function canBePinned(address: AccountAddress): boolean {
  return address.verified_point === null && (address.needs_pin || address.geocode === null);
}

export function AccountAddresses(props: {
  api: ApiClient;
  accountId: string;
  addresses: AccountAddress[];
  canPin: boolean;
  pinTarget: string | null;
  picked: MapPoint | null;
  onStartPin: (addressId: string) => void;
  onPick: (point: MapPoint | null) => void;
  onEndPin: (saved: boolean) => void;
}) {
  const { t } = useI18n();
  return (
    <section class="account__section" aria-labelledby="account-addresses-title">
      <h3 id="account-addresses-title">{t('account.section.addresses')}</h3>
      {props.addresses.length === 0 ? <p>{t('account.noAddresses')}</p> : null}
      {props.addresses.map((address) => (
        <div key={address.id} class="account__address">
          <AddressFacts address={address} />
          {props.canPin && canBePinned(address) && props.pinTarget !== address.id ? (
            <button type="button" class="button button--small" onClick={() => props.onStartPin(address.id)}>
              {t('account.pin.start')}
            </button>
          ) : null}
          {props.pinTarget === address.id ? (
            <PinEditor
              api={props.api}
              accountId={props.accountId}
              address={address}
              picked={props.picked}
              onPick={props.onPick}
              onEnd={props.onEndPin}
            />
          ) : null}
        </div>
      ))}
    </section>
  );
}

function AddressFacts(props: { address: AccountAddress }) {
  const { address } = props;
  const { t } = useI18n();
  const field = (label: string, value: string | null) =>
    value ? (
      <>
        <dt>{label}</dt>
        <dd>{value}</dd>
      </>
    ) : null;
  const point = (at: MapPoint) => `${at.latitude.toFixed(6)}, ${at.longitude.toFixed(6)}`;
  return (
    <>
      <p>
        <strong>{addressLine(address)}</strong>
        {address.needs_pin && address.verified_point === null ? (
          <>
            {' '}
            <span class="tag">{t('account.needsPin')}</span>
          </>
        ) : null}
      </p>
      <dl class="account__address-fields">
        {field(t('account.address.street'), address.street)}
        {field(t('account.address.exterior'), address.exterior_number)}
        {field(t('account.address.interior'), address.interior_number)}
        {field(t('account.address.colonia'), address.colonia)}
        {field(t('account.address.postalCode'), address.postal_code)}
        {field(t('account.address.locality'), address.locality)}
        {field(t('account.address.municipality'), address.municipality)}
        {field(t('account.address.state'), address.state)}
        {field(t('account.address.betweenStreets'), address.between_streets)}
        {field(t('account.address.landmarks'), address.landmarks)}
        {field(t('account.address.original'), address.original_text)}
        {field(t('account.address.timeZone'), address.time_zone)}
        <dt>{t('account.address.geocoded')}</dt>
        <dd>
          {address.geocode === null
            ? t('account.address.noPoint')
            : t('account.address.geocodedValue', {
                point: point(address.geocode),
                source: address.geocode.source,
                confidence: Math.round(address.geocode.confidence * 100),
              })}
        </dd>
        <dt>{t('account.address.verified')}</dt>
        <dd>
          {address.verified_point === null
            ? t('account.address.noPoint')
            : t('account.address.verifiedValue', {
                point: point(address.verified_point),
                source: address.verified_source ?? t('account.address.sourceUnknown'),
              })}
        </dd>
      </dl>
    </>
  );
}

function parseCoordinate(text: string): number | null {
  const value = Number(text.trim());
  return text.trim() === '' || !Number.isFinite(value) ? null : value;
}

function PinEditor(props: {
  api: ApiClient;
  accountId: string;
  address: AccountAddress;
  picked: MapPoint | null;
  onPick: (point: MapPoint | null) => void;
  onEnd: (saved: boolean) => void;
}) {
  const { t } = useI18n();
  const [latitude, setLatitude] = useState('');
  const [longitude, setLongitude] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // A click on the map fills both fields.
  useEffect(() => {
    if (props.picked === null) return;
    setLatitude(props.picked.latitude.toFixed(6));
    setLongitude(props.picked.longitude.toFixed(6));
  }, [props.picked]);

  // Typed coordinates move the marker once both are numbers.
  const typed = (nextLatitude: string, nextLongitude: string) => {
    setLatitude(nextLatitude);
    setLongitude(nextLongitude);
    const lat = parseCoordinate(nextLatitude);
    const lng = parseCoordinate(nextLongitude);
    if (lat !== null && lng !== null) {
      props.onPick({ latitude: lat, longitude: lng });
    }
  };

  const save = (event: Event) => {
    event.preventDefault();
    const lat = parseCoordinate(latitude);
    const lng = parseCoordinate(longitude);
    if (lat === null || lng === null) {
      setError(t('account.pin.missing'));
      return;
    }
    setPending(true);
    setError(null);
    setAddressPoint(props.api, props.accountId, props.address.id, { latitude: lat, longitude: lng }).then(
      () => {
        setPending(false);
        props.onEnd(true);
      },
      (failure: unknown) => {
        setPending(false);
        setError(describeError(failure, t));
      },
    );
  };

  const helpId = `pin-help-${props.address.id}`;
  return (
    <form class="account__pin" onSubmit={save} aria-describedby={helpId}>
      <p id={helpId}>{t('account.pin.help')}</p>
      <label>
        {t('account.pin.latitude')}
        <input
          type="text"
          inputMode="decimal"
          name="latitude"
          value={latitude}
          onInput={(event) => typed(event.currentTarget.value, longitude)}
        />
      </label>
      <label>
        {t('account.pin.longitude')}
        <input
          type="text"
          inputMode="decimal"
          name="longitude"
          value={longitude}
          onInput={(event) => typed(latitude, event.currentTarget.value)}
        />
      </label>
      {error !== null ? (
        <p role="alert" class="form-error">
          {error}
        </p>
      ) : null}
      <button type="submit" class="button button--primary button--small" disabled={pending}>
        {pending ? t('account.pin.saving') : t('account.pin.save')}
      </button>
      <button type="button" class="button button--small" onClick={() => props.onEnd(false)} disabled={pending}>
        {t('account.pin.cancel')}
      </button>
    </form>
  );
}
