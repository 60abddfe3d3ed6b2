// Mexico's 32 federal entities and the parser for the spellings found in lenders' files.
// Mirrors crates/ronda-domain/src/portfolio/state.rs: same names, codes and aliases.

import { fold } from './text.ts';

export type State =
  | 'aguascalientes' | 'baja_california' | 'baja_california_sur' | 'campeche' | 'coahuila'
  | 'colima' | 'chiapas' | 'chihuahua' | 'ciudad_de_mexico' | 'durango' | 'guanajuato'
  | 'guerrero' | 'hidalgo' | 'jalisco' | 'mexico' | 'michoacan' | 'morelos' | 'nayarit'
  | 'nuevo_leon' | 'oaxaca' | 'puebla' | 'queretaro' | 'quintana_roo' | 'san_luis_potosi'
  | 'sinaloa' | 'sonora' | 'tabasco' | 'tamaulipas' | 'tlaxcala' | 'veracruz' | 'yucatan'
  | 'zacatecas';

export interface StateInfo {
  state: State;
  /** INEGI's two-digit code, "01" to "32". */
  inegiCode: string;
  name: string;
  /**
   * Folded spellings accepted besides the folded name: common abbreviations, RENAPO's
   * two-letter codes (as in the CURP) and ISO 3166-2:MX codes.
   */
  aliases: readonly string[];
}

function entry(state: State, code: number, name: string, aliases: string[]): StateInfo {
  return { state, inegiCode: String(code).padStart(2, '0'), name, aliases };
}

/** Every state in INEGI order. The bare word "México" is the State of México. */
export const STATES: readonly StateInfo[] = [
  entry('aguascalientes', 1, 'Aguascalientes', ['ags', 'as', 'agu']),
  entry('baja_california', 2, 'Baja California', ['bc', 'bcn', 'baja california norte', 'baja norte']),
  entry('baja_california_sur', 3, 'Baja California Sur', ['bcs', 'bs', 'baja sur']),
  entry('campeche', 4, 'Campeche', ['camp', 'cam', 'cc']),
  entry('coahuila', 5, 'Coahuila', ['coahuila de zaragoza', 'coah', 'coa', 'cl']),
  entry('colima', 6, 'Colima', ['col', 'cm']),
  entry('chiapas', 7, 'Chiapas', ['chis', 'chps', 'chp', 'cs']),
  entry('chihuahua', 8, 'Chihuahua', ['chih', 'chh', 'ch']),
  entry('ciudad_de_mexico', 9, 'Ciudad de México', [
    'cdmx', 'cd mx', 'cd de mexico', 'cd mexico', 'df', 'distrito federal', 'mexico df',
    'mexico city', 'cmx',
  ]),
  entry('durango', 10, 'Durango', ['dgo', 'dur', 'dg']),
  entry('guanajuato', 11, 'Guanajuato', ['gto', 'gua', 'gt']),
  entry('guerrero', 12, 'Guerrero', ['gro', 'gr']),
  entry('hidalgo', 13, 'Hidalgo', ['hgo', 'hid', 'hg']),
  entry('jalisco', 14, 'Jalisco', ['jal', 'jc']),
  entry('mexico', 15, 'México', [
    'estado de mexico', 'edo de mexico', 'edo mexico', 'edo de mex', 'edo mex', 'edomex',
    'edomx', 'mex', 'mc',
  ]),
  entry('michoacan', 16, 'Michoacán', ['michoacan de ocampo', 'mich', 'mic', 'mn']),
  entry('morelos', 17, 'Morelos', ['mor', 'ms']),
  entry('nayarit', 18, 'Nayarit', ['nay', 'nt']),
  entry('nuevo_leon', 19, 'Nuevo León', ['nl', 'nle', 'n leon']),
  entry('oaxaca', 20, 'Oaxaca', ['oax', 'oc']),
  entry('puebla', 21, 'Puebla', ['pue', 'pl']),
  entry('queretaro', 22, 'Querétaro', ['queretaro de arteaga', 'qro', 'que', 'qt']),
  entry('quintana_roo', 23, 'Quintana Roo', ['q roo', 'qroo', 'qr', 'roo', 'qa roo']),
  entry('san_luis_potosi', 24, 'San Luis Potosí', ['slp', 'sp', 's l p']),
  entry('sinaloa', 25, 'Sinaloa', ['sin', 'sl']),
  entry('sonora', 26, 'Sonora', ['son', 'sr']),
  entry('tabasco', 27, 'Tabasco', ['tab', 'tc']),
  entry('tamaulipas', 28, 'Tamaulipas', ['tamps', 'tamp', 'tam', 'ts']),
  entry('tlaxcala', 29, 'Tlaxcala', ['tlax', 'tla', 'tl']),
  entry('veracruz', 30, 'Veracruz', ['veracruz de ignacio de la llave', 'ver', 'vz']),
  entry('yucatan', 31, 'Yucatán', ['yuc', 'yn']),
  entry('zacatecas', 32, 'Zacatecas', ['zac', 'zs']),
];

const BY_KEY: ReadonlyMap<string, State> = new Map(
  STATES.flatMap((info) => [fold(info.name), ...info.aliases].map((key) => [key, info.state] as const)),
);

function lookup(key: string): State | undefined {
  if (key === '') return undefined;
  if (/^[0-9]{1,2}$/.test(key)) {
    const code = key.padStart(2, '0');
    return STATES.find((info) => info.inegiCode === code)?.state;
  }
  return BY_KEY.get(key);
}

/**
 * Parses a state from its name, abbreviation or INEGI code, in any case, with or without
 * accents and periods. A leading "Estado de" is ignored, except in "Estado de México".
 * Returns undefined for anything else.
 */
export function parseState(value: string): State | undefined {
  const key = fold(value);
  const direct = lookup(key);
  if (direct !== undefined) return direct;
  for (const prefix of ['estado de ', 'edo de ', 'edo ']) {
    if (key.startsWith(prefix)) {
      const state = lookup(key.slice(prefix.length));
      if (state !== undefined) return state;
    }
  }
  return undefined;
}
