// Map of the day's stops, loaded on demand so Leaflet stays out of the first
// download. Markers are drawn without images, numbered in route order, so the
// map is still usable offline when no tiles load.

import type { Map as LeafletMap } from 'leaflet';
import { useEffect, useRef } from 'preact/hooks';
import type { DayStop } from '../../shared/field-api';
import { useI18n } from '../../shared/ui/i18n-context';
import { addressLine, bestPoint, debtorName } from './navigate';

const TILE_URL = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
const ATTRIBUTION = '&copy; OpenStreetMap';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export default function StopMap(props: { stops: DayStop[]; online: boolean; onVisit: (stop: DayStop) => void }) {
  const { t } = useI18n();
  const element = useRef<HTMLDivElement>(null);
  const map = useRef<LeafletMap | null>(null);

  useEffect(() => {
    let cancelled = false;
    void import('./leaflet-setup').then(({ L }) => {
      if (cancelled || element.current === null) return;
      const instance = L.map(element.current, { zoomControl: true });
      map.current = instance;
      if (props.online) {
        L.tileLayer(TILE_URL, { maxZoom: 19, attribution: ATTRIBUTION }).addTo(instance);
      }
      const bounds = L.latLngBounds([]);
      for (const stop of [...props.stops].sort((a, b) => a.route_order - b.route_order)) {
        const point = bestPoint(stop.address);
        if (point === null) continue;
        const at = L.latLng(point.latitude, point.longitude);
        bounds.extend(at);
        const icon = L.divIcon({
          className: stop.visited ? 'map-pin map-pin--visited' : 'map-pin',
          html: String(stop.route_order),
          iconSize: [44, 44],
        });
        const marker = L.marker(at, { icon, title: debtorName(stop.account), keyboard: true }).addTo(instance);
        const popup = document.createElement('div');
        popup.innerHTML = `<strong>${escapeHtml(debtorName(stop.account))}</strong><br>${escapeHtml(addressLine(stop.address))}<br>`;
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'button button--primary';
        button.textContent = t('field.visit');
        button.addEventListener('click', () => props.onVisit(stop));
        popup.append(button);
        marker.bindPopup(popup);
      }
      if (bounds.isValid()) instance.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
      else instance.setView([19.4326, -99.1332], 11);
    });
    return () => {
      cancelled = true;
      map.current?.remove();
      map.current = null;
    };
  }, [props.stops, props.online]);

  return <div ref={element} class="stop-map" role="region" aria-label={t('field.map')} />;
}
