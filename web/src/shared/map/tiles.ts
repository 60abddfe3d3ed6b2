// Source of the console maps' background tiles. Tiles come from the internet,
// so a map draws them only while the browser is online. Markers, tracks and
// the side lists work without them.

export const DEFAULT_TILE_URL = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
export const DEFAULT_ATTRIBUTION = '&copy; OpenStreetMap';

/**
 * Local storage key that overrides the tile URL in this browser: `off` draws
 * no tiles (the browser tests use it to stay on loopback), and any other value
 * is a Leaflet URL template such as `https://tiles.example.mx/{z}/{x}/{y}.png`.
 */
export const TILE_SETTING_KEY = 'ronda.map.tiles';

export interface TileSource {
  url: string;
  attribution: string;
}

function storedSetting(storage: Pick<Storage, 'getItem'> | undefined): string | null {
  try {
    const value = storage?.getItem(TILE_SETTING_KEY);
    return value === null || value === undefined || value.trim() === '' ? null : value.trim();
  } catch {
    return null;
  }
}

/** Returns the tile source to draw, or `null` when the map should show no tiles. */
export function tileSource(storage: Pick<Storage, 'getItem'> | undefined, online: boolean): TileSource | null {
  if (!online) {
    return null;
  }
  const setting = storedSetting(storage);
  if (setting === 'off') {
    return null;
  }
  if (setting === null) {
    return { url: DEFAULT_TILE_URL, attribution: DEFAULT_ATTRIBUTION };
  }
  // A custom server keeps the OpenStreetMap attribution, because nearly every
  // tile server renders OpenStreetMap data.
  return { url: setting, attribution: DEFAULT_ATTRIBUTION };
}

/** Tile source for this page, read from the browser's storage and connection. */
export function browserTileSource(): TileSource | null {
  let storage: Storage | undefined;
  try {
    storage = typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    storage = undefined;
  }
  const online = typeof navigator === 'undefined' ? false : navigator.onLine;
  return tileSource(storage, online);
}
