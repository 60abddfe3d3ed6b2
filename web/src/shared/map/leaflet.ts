// Loads Leaflet on demand and creates maps with the console's defaults.

import type { Map as LeafletMap } from 'leaflet';
import { browserTileSource } from './tiles';

export type Leaflet = typeof import('leaflet');

/** Centre of Mexico City, shown while a map has nothing to fit. */
export const DEFAULT_CENTER: [number, number] = [19.4326, -99.1332];
export const DEFAULT_ZOOM = 11;

export async function loadLeaflet(): Promise<Leaflet> {
  const module = await import('./leaflet-setup');
  return module.L;
}

/** Creates a map in `element` with tiles when they are available. */
export function createMap(L: Leaflet, element: HTMLElement): LeafletMap {
  const map = L.map(element, { zoomControl: true, center: DEFAULT_CENTER, zoom: DEFAULT_ZOOM });
  const tiles = browserTileSource();
  if (tiles !== null) {
    L.tileLayer(tiles.url, { maxZoom: 19, attribution: tiles.attribution }).addTo(map);
  }
  return map;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
