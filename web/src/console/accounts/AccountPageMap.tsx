// Map of an account's addresses: geocoded and verified points, and while a pin
// is being set, the point the supervisor clicked.

import type { LayerGroup, Map as LeafletMap } from 'leaflet';
import { useEffect, useRef, useState } from 'preact/hooks';
import { createMap, escapeHtml, type Leaflet, loadLeaflet } from '../../shared/map/leaflet';
import { useI18n } from '../../shared/ui/i18n-context';
import { type AccountAddress, addressLine, type MapPoint } from './AccountPageApi';

export function AccountMap(props: {
  addresses: AccountAddress[];
  pinTarget: string | null;
  picked: MapPoint | null;
  onPick: (point: MapPoint) => void;
}) {
  const { t } = useI18n();
  const element = useRef<HTMLDivElement>(null);
  const leaflet = useRef<{ L: Leaflet; map: LeafletMap; layers: LayerGroup } | null>(null);
  const pinTarget = useRef(props.pinTarget);
  const onPick = useRef(props.onPick);
  const [ready, setReady] = useState(false);
  const [failed, setFailed] = useState(false);
  pinTarget.current = props.pinTarget;
  onPick.current = props.onPick;

  useEffect(() => {
    let cancelled = false;
    loadLeaflet().then(
      (L) => {
        if (cancelled || element.current === null) return;
        const map = createMap(L, element.current);
        const layers = L.layerGroup().addTo(map);
        map.on('click', (event: { latlng: { lat: number; lng: number } }) => {
          if (pinTarget.current === null) return;
          onPick.current({ latitude: event.latlng.lat, longitude: event.latlng.lng });
        });
        leaflet.current = { L, map, layers };
        setReady(true);
      },
      () => {
        if (!cancelled) setFailed(true);
      },
    );
    return () => {
      cancelled = true;
      leaflet.current?.map.remove();
      leaflet.current = null;
    };
  }, []);

  useEffect(() => {
    const current = leaflet.current;
    if (!ready || current === null) return;
    const { L, map, layers } = current;
    layers.clearLayers();
    const bounds = L.latLngBounds([]);
    for (const address of props.addresses) {
      const text = escapeHtml(addressLine(address));
      if (address.geocode !== null) {
        const at = L.latLng(address.geocode.latitude, address.geocode.longitude);
        bounds.extend(at);
        L.circleMarker(at, { radius: 8, color: '#5b3a8c', weight: 3, fillOpacity: 0.3, className: 'account-geocoded' })
          .bindTooltip(`${escapeHtml(t('account.map.geocoded'))}: ${text}`)
          .addTo(layers);
      }
      if (address.verified_point !== null) {
        const at = L.latLng(address.verified_point.latitude, address.verified_point.longitude);
        bounds.extend(at);
        L.circleMarker(at, { radius: 8, color: '#1f7a1f', weight: 3, fillOpacity: 0.5, className: 'account-verified' })
          .bindTooltip(`${escapeHtml(t('account.map.verified'))}: ${text}`)
          .addTo(layers);
      }
    }
    const picked = props.picked;
    if (picked !== null && Number.isFinite(picked.latitude) && Number.isFinite(picked.longitude)) {
      const at = L.latLng(picked.latitude, picked.longitude);
      L.circleMarker(at, { radius: 7, color: '#b35c00', weight: 3, dashArray: '4 3', fillOpacity: 0.2, className: 'account-picked' })
        .bindTooltip(escapeHtml(t('account.map.picked')))
        .addTo(layers);
    } else if (bounds.isValid()) {
      map.fitBounds(bounds.pad(0.3), { maxZoom: 17 });
    }
  }, [ready, props.addresses, props.picked, t]);

  if (failed) {
    return (
      <p role="alert" class="form-error">
        {t('live.mapFailed')}
      </p>
    );
  }
  return (
    <section class="account__section" aria-labelledby="account-map-title">
      <h3 id="account-map-title">{t('account.section.map')}</h3>
      {props.pinTarget !== null ? <p role="status">{t('account.map.clickToPin')}</p> : null}
      <div
        ref={element}
        class={props.pinTarget !== null ? 'account-map account-map--picking' : 'account-map'}
        role="region"
        aria-label={t('account.map.label')}
      />
      <ul class="visit-map__legend">
        <li class="visit-map__key visit-map__key--address">{t('account.map.geocoded')}</li>
        <li class="visit-map__key visit-map__key--verified">{t('account.map.verified')}</li>
        <li class="visit-map__key visit-map__key--proposed">{t('account.map.picked')}</li>
      </ul>
    </section>
  );
}
