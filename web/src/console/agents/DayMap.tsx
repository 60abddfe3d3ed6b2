// Map of one agent's day: the track as a line, flagged points as red rings
// with their reason, stops as circles labelled with how long they lasted, and
// visits as markers at their check-in point, and the agent's start location
// from the profile when one is set.

import type { Map as LeafletMap } from 'leaflet';
import { useEffect, useRef, useState } from 'preact/hooks';
import { createMap, escapeHtml, loadLeaflet } from '../../shared/map/leaflet';
import { useI18n } from '../../shared/ui/i18n-context';
import type { AgentDay } from './api';
import { flagReasonText, formatClock, formatDuration, visitLabel } from './dayFormat';
import type { StartLocation } from './profileApi';

/** Radius of a stop circle in metres: the server's stop radius, which every point of a stop stays within. */
const STOP_RADIUS_M = 50;

export function DayMap(props: { day: AgentDay; start?: StartLocation | null }) {
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
        const { day } = props;
        const zone = day.time_zone;
        const bounds = L.latLngBounds([]);

        const accepted = day.track.filter((point) => point.flag_reason === null);
        const line = accepted.map((point) => L.latLng(point.latitude, point.longitude));
        if (line.length > 1) {
          L.polyline(line, { color: '#0b4f4d', weight: 4, className: 'day-track' }).addTo(map);
        }
        for (const at of line) bounds.extend(at);

        // Flagged points stay out of the view's bounds: one wild fix would
        // otherwise zoom the map out to half the country.
        const flaggedBounds = L.latLngBounds([]);
        for (const point of day.track) {
          if (point.flag_reason === null) continue;
          const at = L.latLng(point.latitude, point.longitude);
          flaggedBounds.extend(at);
          const reason = flagReasonText(point.flag_reason, t);
          L.circleMarker(at, { radius: 6, color: '#a1001c', weight: 2, fillOpacity: 0.2, className: 'day-flagged' })
            .bindTooltip(`${escapeHtml(formatClock(point.fix_time, zone))} · ${escapeHtml(reason)}`)
            .addTo(map);
        }

        for (const stop of day.stops) {
          const at = L.latLng(stop.latitude, stop.longitude);
          bounds.extend(at);
          const duration = formatDuration(stop.end - stop.start, t);
          const label = t('agents.stopLabel', {
            from: formatClock(stop.start, zone),
            to: formatClock(stop.end, zone),
            duration,
          });
          L.circle(at, { radius: STOP_RADIUS_M, color: '#b35c00', weight: 2, fillOpacity: 0.25, className: 'day-stop' })
            .bindTooltip(escapeHtml(label), { permanent: true, direction: 'top', className: 'day-stop__label' })
            .addTo(map);
        }

        for (const visit of day.visits) {
          const at = L.latLng(visit.checkin_latitude, visit.checkin_longitude);
          bounds.extend(at);
          L.circleMarker(at, {
            radius: 8,
            color: '#1d3f8f',
            weight: 3,
            fillOpacity: 0.6,
            className: `day-visit day-visit--${visit.verdict}`,
          })
            .bindTooltip(escapeHtml(visitLabel(visit, zone, t)))
            .addTo(map);
        }

        const start = props.start;
        if (start !== undefined && start !== null) {
          const at = L.latLng(start.latitude, start.longitude);
          bounds.extend(at);
          L.circleMarker(at, { radius: 9, color: '#4a2a7a', weight: 3, fillOpacity: 0.15, className: 'day-start' })
            .bindTooltip(escapeHtml(t('profile.startMarker', { label: start.label ?? `${start.latitude}, ${start.longitude}` })))
            .addTo(map);
        }

        const view = bounds.isValid() ? bounds : flaggedBounds;
        if (view.isValid()) {
          map.fitBounds(view, { padding: [32, 32], maxZoom: 17 });
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
  }, [props.day, props.start, t]);

  if (failed) {
    return (
      <p role="alert" class="form-error">
        {t('live.mapFailed')}
      </p>
    );
  }
  return <div ref={element} class="day-map" role="region" aria-label={t('agents.dayMapLabel')} />;
}
