// Map on which a supervisor draws a zone: each click adds a vertex, and the
// polygon so far is drawn over the tiles (or the empty map when offline).

import type { LayerGroup, Map as LeafletMap } from 'leaflet';
import { useEffect, useRef, useState } from 'preact/hooks';
import { createMap, type Leaflet, loadLeaflet } from '../../shared/map/leaflet';
import { useI18n } from '../../shared/ui/i18n-context';
import type { Vertex } from './assignArea';

export function ZoneMap(props: { vertices: Vertex[]; onAdd: (vertex: Vertex) => void }) {
  const { t } = useI18n();
  const element = useRef<HTMLDivElement>(null);
  const leaflet = useRef<{ L: Leaflet; map: LeafletMap; layers: LayerGroup } | null>(null);
  const onAdd = useRef(props.onAdd);
  const [ready, setReady] = useState(false);
  const [failed, setFailed] = useState(false);
  onAdd.current = props.onAdd;

  useEffect(() => {
    let cancelled = false;
    loadLeaflet().then(
      (L) => {
        if (cancelled || element.current === null) return;
        const map = createMap(L, element.current);
        const layers = L.layerGroup().addTo(map);
        map.on('click', (event: { latlng: { lat: number; lng: number } }) => {
          onAdd.current([event.latlng.lat, event.latlng.lng]);
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
    const { L, layers } = current;
    layers.clearLayers();
    if (props.vertices.length >= 3) {
      L.polygon(props.vertices, { color: '#1d4ed8', weight: 2 }).addTo(layers);
    } else if (props.vertices.length === 2) {
      L.polyline(props.vertices, { color: '#1d4ed8', weight: 2 }).addTo(layers);
    }
    for (const vertex of props.vertices) {
      L.circleMarker(vertex, { radius: 5, color: '#1d4ed8' }).addTo(layers);
    }
  }, [ready, props.vertices]);

  return (
    <div class="zone-map">
      <div ref={element} class="zone-map__canvas" role="application" aria-label={t('assignArea.mapLabel')} />
      {failed ? <p class="notice">{t('assignArea.mapFailed')}</p> : null}
    </div>
  );
}
