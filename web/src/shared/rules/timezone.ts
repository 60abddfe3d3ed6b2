// The IANA time zone of a Mexican address from its state and municipality. Mirrors
// crates/ronda-domain/src/portfolio/timezone.rs, whose header explains each rule and its
// legal source (Ley de los Husos Horarios, DOF 2022-10-28, amended 2022-11-30).

import type { State } from './states.ts';
import { fold } from './text.ts';

/** Municipalities whose zone differs from their state's, as folded names. */
const MUNICIPALITY_ZONES: ReadonlyArray<{ state: State; zone: string; names: readonly string[] }> = [
  { state: 'nayarit', zone: 'America/Bahia_Banderas', names: ['bahia de banderas'] },
  {
    state: 'chihuahua',
    zone: 'America/Ciudad_Juarez',
    names: ['juarez', 'janos', 'ascension', 'guadalupe', 'praxedis g guerrero', 'praxedis guerrero'],
  },
  {
    state: 'chihuahua',
    zone: 'America/Ojinaga',
    names: ['ojinaga', 'manuel benavides', 'coyame del sotol', 'coyame'],
  },
  {
    state: 'coahuila',
    zone: 'America/Matamoros',
    names: [
      'acuna', 'allende', 'guerrero', 'hidalgo', 'jimenez', 'morelos', 'nava', 'ocampo',
      'piedras negras', 'villa union', 'zaragoza',
    ],
  },
  { state: 'nuevo_leon', zone: 'America/Matamoros', names: ['anahuac'] },
  {
    state: 'tamaulipas',
    zone: 'America/Matamoros',
    names: [
      'nuevo laredo', 'guerrero', 'mier', 'miguel aleman', 'camargo', 'gustavo diaz ordaz',
      'reynosa', 'rio bravo', 'valle hermoso', 'matamoros',
    ],
  },
];

/** Prefixes written before a municipality's name ("Cd. Juárez", "H. Matamoros"). */
const NAME_PREFIXES = ['ciudad ', 'cd ', 'heroica ', 'h '];

function stateZone(state: State): string {
  switch (state) {
    case 'quintana_roo':
      return 'America/Cancun';
    case 'baja_california':
      return 'America/Tijuana';
    case 'sonora':
      return 'America/Hermosillo';
    case 'baja_california_sur':
    case 'sinaloa':
    case 'nayarit':
      return 'America/Mazatlan';
    case 'chihuahua':
      return 'America/Chihuahua';
    case 'campeche':
    case 'yucatan':
      return 'America/Merida';
    case 'durango':
    case 'coahuila':
    case 'nuevo_leon':
    case 'tamaulipas':
      return 'America/Monterrey';
    default:
      return 'America/Mexico_City';
  }
}

/**
 * Returns the IANA time zone for an address in `state`, refined by `municipality` where the
 * state has more than one zone. An unknown or missing municipality gets the state's main zone.
 */
export function timeZoneName(state: State, municipality?: string): string {
  if (municipality !== undefined) {
    const key = fold(municipality);
    const prefix = NAME_PREFIXES.find((candidate) => key.startsWith(candidate));
    const stripped = prefix === undefined ? undefined : key.slice(prefix.length);
    for (const entry of MUNICIPALITY_ZONES) {
      const listed = entry.names.includes(key) || (stripped !== undefined && entry.names.includes(stripped));
      if (entry.state === state && listed) return entry.zone;
    }
  }
  return stateZone(state);
}
