// Map of a visit: the address's geocoded and verified points, the proposed
// pin, the check-in fix with its accuracy circle, and the agent's track from
// 30 minutes before to 30 minutes after the check-in.

import type { Map as LeafletMap } from 'leaflet';
import { useEffect, useRef, useState } from 'preact/hooks';
import { createMap, escapeHtml, loadLeaflet } from '../../shared/map/leaflet';
import { useI18n } from '../../shared/ui/i18n-context';
import type { VisitDetail } from './api';

export function VisitMap(props: { visit: VisitDetail }) {
  const { t } = useI18n();
  const element = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let cancelled = false;
    let map: LeafletMap | null = null;
    loadLeaflet().then(
      (L) => {
        if (cancelled || element.current === null) return;
        map = createMap(L, element.current);
        const { visit } = props;
        const bounds = L.latLngBounds([]);
        const label = (text: string) => escapeHtml(text);

        const track = visit.track.filter((fix) => fix.flag_reason === null);
        const line = track.map((fix) => L.latLng(fix.latitude, fix.longitude));
        if (line.length > 1) {
          L.polyline(line, { color: '#0b4f4d', weight: 3, className: 'visit-track' }).addTo(map);
        }
        for (const fix of track) {
          L.circleMarker(L.latLng(fix.latitude, fix.longitude), {
            radius: 3,
            color: '#0b4f4d',
            weight: 1,
            fillOpacity: 0.6,
            className: 'visit-track-point',
          }).addTo(map);
        }

        const address = visit.address;
        if (address.point !== null) {
          const at = L.latLng(address.point.latitude, address.point.longitude);
          bounds.extend(at);
          L.circleMarker(at, { radius: 8, color: '#5b3a8c', weight: 3, fillOpacity: 0.3, className: 'visit-address' })
            .bindTooltip(label(t('visits.map.address')))
            .addTo(map);
        }
        if (address.verified_point !== null) {
          const at = L.latLng(address.verified_point.latitude, address.verified_point.longitude);
          bounds.extend(at);
          L.circleMarker(at, { radius: 8, color: '#1f7a1f', weight: 3, fillOpacity: 0.5, className: 'visit-verified' })
            .bindTooltip(label(t('visits.map.verified')))
            .addTo(map);
        }
        const pin = visit.pin_correction;
        if (pin !== null) {
          const at = L.latLng(pin.latitude, pin.longitude);
          bounds.extend(at);
          L.circleMarker(at, { radius: 7, color: '#b35c00', weight: 3, dashArray: '4 3', fillOpacity: 0.2, className: 'visit-proposed' })
            .bindTooltip(label(t('visits.map.proposed')))
            .addTo(map);
        }

        const fix = visit.check_in;
        const at = L.latLng(fix.latitude, fix.longitude);
        bounds.extend(at);
        L.circle(at, { radius: fix.accuracy_m, color: '#a1001c', weight: 1, fillOpacity: 0.1, className: 'visit-accuracy' }).addTo(map);
        L.circleMarker(at, { radius: 6, color: '#a1001c', weight: 3, fillOpacity: 0.8, className: 'visit-checkin' })
          .bindTooltip(label(t('visits.map.checkIn', { accuracy: Math.round(fix.accuracy_m) })))
          .addTo(map);

        if (bounds.isValid()) {
          map.fitBounds(bounds.pad(0.3), { maxZoom: 18 });
        }
      },
      () => {
        if (!cancelled) setFailed(true);
      },
    );
    return () => {
      cancelled = true;
      map?.remove();
    };
  }, [props.visit, t]);

  if (failed) {
    return (
      <p role="alert" class="form-error">
        {t('live.mapFailed')}
      </p>
    );
  }
  return (
    <>
      <div ref={element} class="visit-map" role="region" aria-label={t('visits.map.label')} />
      <ul class="visit-map__legend">
        <li class="visit-map__key visit-map__key--address">{t('visits.map.address')}</li>
        <li class="visit-map__key visit-map__key--verified">{t('visits.map.verified')}</li>
        <li class="visit-map__key visit-map__key--proposed">{t('visits.map.proposed')}</li>
        <li class="visit-map__key visit-map__key--checkin">{t('visits.map.checkInKey')}</li>
        <li class="visit-map__key visit-map__key--track">{t('visits.map.track')}</li>
      </ul>
    </>
  );
}
