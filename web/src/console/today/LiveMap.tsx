// Leaflet map of every agent's last position, one coloured marker per agent
// and a numbered marker where agents are too close to tell apart. Leaflet is
// loaded on demand. The side list next to the map is the accessible way to
// reach the same agents.

import type { LayerGroup, Map as LeafletMap, Marker } from 'leaflet';
import { useEffect, useRef, useState } from 'preact/hooks';
import { gridCluster } from '../../shared/map/cluster';
import { createMap, escapeHtml, loadLeaflet, type Leaflet } from '../../shared/map/leaflet';
import { useI18n } from '../../shared/ui/i18n-context';
import { formatBattery, formatSeenAgo, formatSpeed, stateLabelKey, type AgentState, type LiveAgent } from './liveState';
import type { DayVisit } from './todayApi';

/** Side of a clustering cell in screen pixels, a bit more than two markers. */
const CLUSTER_CELL_PX = 56;
/** From this zoom on every agent gets their own marker. */
const NO_CLUSTER_ZOOM = 17;

export interface MapAgent extends LiveAgent {
  /** State at the page's current time, which may differ from the loaded `state`. */
  current: AgentState;
}

interface LiveMapProps {
  agents: MapAgent[];
  /** Today's visits, drawn at their check-in points and coloured by verdict. */
  visits?: DayVisit[];
  now: number;
  selectedId: string | null;
  onSelect: (agentId: string) => void;
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter((part) => part !== '');
  const letters = parts.length > 1 ? [parts[0]![0], parts[parts.length - 1]![0]] : [parts[0]?.[0] ?? '?'];
  return letters.join('').toUpperCase();
}

export function LiveMap(props: LiveMapProps) {
  const { t } = useI18n();
  const element = useRef<HTMLDivElement>(null);
  const leaflet = useRef<{
    L: Leaflet;
    map: LeafletMap;
    agentLayer: LayerGroup;
    clusterLayer: LayerGroup;
    visitLayer: LayerGroup;
  } | null>(null);
  /** One marker per agent drawn alone, kept across redraws so that an open popup stays open. */
  const agentMarkers = useRef(new Map<string, { marker: Marker; iconClass: string }>());
  /** The marker that shows each agent now: their own, or their cluster's. */
  const markers = useRef(new Map<string, Marker>());
  const onSelect = useRef(props.onSelect);
  onSelect.current = props.onSelect;
  const fitted = useRef(false);
  /** Agent chosen inside a cluster, whose popup opens once the zoom separates them. */
  const pendingPopup = useRef<string | null>(null);
  const [zoom, setZoom] = useState<number | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let cancelled = false;
    loadLeaflet().then(
      (L) => {
        if (cancelled || element.current === null) return;
        const map = createMap(L, element.current);
        const visitLayer = L.layerGroup().addTo(map);
        const agentLayer = L.layerGroup().addTo(map);
        const clusterLayer = L.layerGroup().addTo(map);
        leaflet.current = { L, map, agentLayer, clusterLayer, visitLayer };
        map.on('zoomend', () => setZoom(map.getZoom()));
        setZoom(map.getZoom());
      },
      () => {
        if (!cancelled) setFailed(true);
      },
    );
    return () => {
      cancelled = true;
      leaflet.current?.map.remove();
      leaflet.current = null;
      agentMarkers.current.clear();
    };
  }, []);

  // Fit the first agents into view once; later updates keep the user's view.
  useEffect(() => {
    const current = leaflet.current;
    if (current === null || fitted.current || props.agents.length === 0) return;
    const bounds = current.L.latLngBounds(props.agents.map((agent) => [agent.latitude, agent.longitude]));
    current.map.fitBounds(bounds, { padding: [32, 32], maxZoom: 15 });
    fitted.current = true;
  }, [props.agents, zoom]);

  // Redraw today's visits when they change; each links to its evidence page.
  useEffect(() => {
    const current = leaflet.current;
    if (current === null || zoom === null) return;
    const { L, visitLayer } = current;
    visitLayer.clearLayers();
    for (const visit of props.visits ?? []) {
      const label = t('today.visitLabel', {
        account: visit.lender_account_id,
        agent: visit.agent_name,
        verdict: t(`today.verdict.${visit.verdict}`),
      });
      L.circleMarker([visit.latitude, visit.longitude], {
        radius: 6,
        className: `day-visit day-visit--${visit.verdict}`,
      })
        .bindPopup(`<a href="#/visits/${encodeURIComponent(visit.visit_id)}">${escapeHtml(label)}</a>`)
        .addTo(visitLayer);
    }
  }, [props.visits, zoom, t]);

  // Redraw the markers when agents move, time passes or the zoom changes.
  useEffect(() => {
    const current = leaflet.current;
    if (current === null || zoom === null) return;
    const { L, map, agentLayer, clusterLayer } = current;
    clusterLayer.clearLayers();
    markers.current.clear();

    const cell = zoom >= NO_CLUSTER_ZOOM ? 0 : CLUSTER_CELL_PX;
    const points = props.agents.map((agent) => {
      const pixel = map.project([agent.latitude, agent.longitude], zoom);
      return { item: agent, x: pixel.x, y: pixel.y };
    });
    const drawnAlone = new Set<string>();
    for (const cluster of gridCluster(points, cell)) {
      if (cluster.items.length === 1) {
        const agent = cluster.items[0]!;
        const marker = drawAgent(L, agentLayer, agent, agent.agent_id === props.selectedId);
        marker.setPopupContent(popupHtml(agent, props.now, t));
        markers.current.set(agent.agent_id, marker);
        drawnAlone.add(agent.agent_id);
        if (pendingPopup.current === agent.agent_id) {
          pendingPopup.current = null;
          marker.openPopup();
        }
        continue;
      }
      const count = cluster.items.length;
      const label = t('live.clusterLabel', { count });
      const icon = L.divIcon({
        className: 'live-cluster',
        html: `<span>${count}</span>`,
        iconSize: [40, 40],
      });
      const centre = map.unproject([cluster.x, cluster.y], zoom);
      const marker = L.marker(centre, { icon, title: label, alt: label, keyboard: true });
      const bounds = L.latLngBounds(cluster.items.map((agent) => [agent.latitude, agent.longitude]));
      marker.on('click', () => map.fitBounds(bounds, { padding: [48, 48], maxZoom: NO_CLUSTER_ZOOM }));
      marker.addTo(clusterLayer);
      for (const agent of cluster.items) markers.current.set(agent.agent_id, marker);
    }
    for (const [agentId, drawn] of agentMarkers.current) {
      if (drawnAlone.has(agentId)) continue;
      agentLayer.removeLayer(drawn.marker);
      agentMarkers.current.delete(agentId);
    }
  }, [props.agents, props.now, props.selectedId, zoom, t]);

  /** Moves the agent's own marker, or creates it, and sets its colour. */
  function drawAgent(L: Leaflet, layer: LayerGroup, agent: MapAgent, selected: boolean): Marker {
    const iconClass = `live-marker live-marker--${agent.current}${selected ? ' live-marker--selected' : ''}`;
    const drawn = agentMarkers.current.get(agent.agent_id);
    if (drawn !== undefined) {
      drawn.marker.setLatLng([agent.latitude, agent.longitude]);
      // A new icon element would drop keyboard focus, so it changes only with the colour.
      if (drawn.iconClass !== iconClass) {
        drawn.marker.setIcon(agentIcon(L, agent, iconClass));
        drawn.iconClass = iconClass;
      }
      return drawn.marker;
    }
    const marker = L.marker([agent.latitude, agent.longitude], {
      icon: agentIcon(L, agent, iconClass),
      title: agent.agent_name,
      alt: agent.agent_name,
      keyboard: true,
    });
    marker.bindPopup('');
    marker.on('click', () => onSelect.current(agent.agent_id));
    marker.addTo(layer);
    agentMarkers.current.set(agent.agent_id, { marker, iconClass });
    return marker;
  }

  // Bring the agent chosen in the list into view and show their details.
  useEffect(() => {
    const current = leaflet.current;
    const agent = props.agents.find((candidate) => candidate.agent_id === props.selectedId);
    if (current === null || agent === undefined) return;
    const target: [number, number] = [agent.latitude, agent.longitude];
    const marker = markers.current.get(agent.agent_id);
    if (marker !== undefined && marker.getPopup() !== undefined) {
      current.map.panTo(target);
      marker.openPopup();
    } else {
      // The agent is inside a cluster: zoom in far enough to separate them.
      pendingPopup.current = agent.agent_id;
      current.map.setView(target, Math.max(current.map.getZoom(), NO_CLUSTER_ZOOM));
    }
    // Runs only when the selection changes, not on every position update.
  }, [props.selectedId]);

  if (failed) {
    return (
      <p role="alert" class="form-error">
        {t('live.mapFailed')}
      </p>
    );
  }
  return <div ref={element} class="live-map" role="region" aria-label={t('live.mapLabel')} />;
}

type Translate = ReturnType<typeof useI18n>['t'];

function agentIcon(L: Leaflet, agent: MapAgent, className: string) {
  return L.divIcon({
    className,
    html: `<span data-agent-id="${escapeHtml(agent.agent_id)}">${escapeHtml(initials(agent.agent_name))}</span>`,
    iconSize: [32, 32],
  });
}

function popupHtml(agent: MapAgent, now: number, t: Translate): string {
  return [
    `<strong>${escapeHtml(agent.agent_name)}</strong>`,
    escapeHtml(t(stateLabelKey(agent.current))),
    escapeHtml(formatSeenAgo(agent.fix_time, now, t)),
    `${escapeHtml(t('live.batteryLabel'))}: ${escapeHtml(formatBattery(agent.battery_pct, agent.charging, t))}`,
    `${escapeHtml(t('live.speedLabel'))}: ${escapeHtml(formatSpeed(agent.speed_mps, t))}`,
  ].join('<br>');
}
