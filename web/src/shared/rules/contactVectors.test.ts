// Runs every vector in spec/contact-rules against the TypeScript rules. The Rust tests in
// crates/ronda-domain/tests/contact_vectors.rs run the same files.

import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkContact, type ContactRule } from './contact.ts';
import { checkPersonMet, type CollectionAction, type PersonMet } from './personMet.ts';
import { parseState } from './states.ts';
import { timeZoneName } from './timezone.ts';

interface WindowCase {
  name: string;
  rule: ContactRule;
  address?: { state: string; municipality?: string };
  time_zone?: string;
  instant: string;
  expected: {
    time_zone: string;
    utc_offset: string;
    local_time: string;
    outcome: 'allowed' | 'refused';
    reason?: string;
    next_allowed_start?: string;
  };
}

interface PersonCase {
  name: string;
  person_met: PersonMet;
  action: CollectionAction;
  expected: { outcome: 'allowed' | 'refused'; reason?: string };
}

type VectorFile =
  | { kind: 'contact_window'; description: string; cases: WindowCase[] }
  | { kind: 'person_met'; description: string; cases: PersonCase[] };

const vectorDir = resolve(import.meta.dirname, '../../../../spec/contact-rules');
const files = readdirSync(vectorDir).filter((name) => name.endsWith('.json')).sort();

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

function zoneOf(testCase: WindowCase): string {
  if (testCase.address !== undefined) {
    const state = parseState(testCase.address.state);
    if (state === undefined) throw new Error(`unknown state ${testCase.address.state}`);
    return timeZoneName(state, testCase.address.municipality);
  }
  if (testCase.time_zone === undefined) throw new Error('give an address or a time_zone');
  return testCase.time_zone;
}

function runWindowCase(testCase: WindowCase): void {
  const zone = zoneOf(testCase);
  expect(zone, 'time zone').toBe(testCase.expected.time_zone);
  const result = checkContact(testCase.rule, zone, new Date(testCase.instant));
  expect(formatOffset(result.localTime.offsetMinutes), 'UTC offset').toBe(testCase.expected.utc_offset);
  expect(result.localTime.dateTime, 'local time').toBe(testCase.expected.local_time);
  expect(result.outcome, 'outcome').toBe(testCase.expected.outcome);
  if (result.outcome === 'refused') {
    expect(result.reason, 'reason').toBe(testCase.expected.reason);
    const expectedNext = testCase.expected.next_allowed_start;
    const next = result.nextAllowedStart?.getTime() ?? null;
    expect(next, 'next allowed start').toBe(expectedNext === undefined ? null : Date.parse(expectedNext));
  } else {
    expect(testCase.expected.reason, 'reason').toBeUndefined();
  }
}

function runPersonCase(testCase: PersonCase): void {
  const refusal = checkPersonMet(testCase.person_met, testCase.action);
  expect(refusal === null ? 'allowed' : 'refused', 'outcome').toBe(testCase.expected.outcome);
  expect(refusal ?? undefined, 'reason').toBe(testCase.expected.reason);
}

describe('contact-rule vectors', () => {
  it('finds the vector files', () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
  });

  for (const file of files) {
    const vectors = JSON.parse(readFileSync(join(vectorDir, file), 'utf8')) as VectorFile;
    describe(file, () => {
      if (vectors.kind === 'contact_window') {
        for (const testCase of vectors.cases) it(testCase.name, () => runWindowCase(testCase));
      } else {
        for (const testCase of vectors.cases) it(testCase.name, () => runPersonCase(testCase));
      }
    });
  }
});

describe('parseState', () => {
  it('reads common spellings', () => {
    expect(parseState('CDMX')).toBe('ciudad_de_mexico');
    expect(parseState('D.F.')).toBe('ciudad_de_mexico');
    expect(parseState('Edo. Méx.')).toBe('mexico');
    expect(parseState('México')).toBe('mexico');
    expect(parseState('N.L.')).toBe('nuevo_leon');
    expect(parseState('Q. Roo')).toBe('quintana_roo');
    expect(parseState('B.C.S.')).toBe('baja_california_sur');
    expect(parseState('Estado de Jalisco')).toBe('jalisco');
    expect(parseState('9')).toBe('ciudad_de_mexico');
  });

  it('rejects unknown values', () => {
    for (const value of ['', 'Texas', '33', '00', 'Baja']) expect(parseState(value), value).toBeUndefined();
  });
});

describe('timeZoneName', () => {
  it('separates same-named municipalities by state', () => {
    expect(timeZoneName('nuevo_leon', 'Guadalupe')).toBe('America/Monterrey');
    expect(timeZoneName('chihuahua', 'Guadalupe')).toBe('America/Ciudad_Juarez');
    expect(timeZoneName('chihuahua', 'Matamoros')).toBe('America/Chihuahua');
    expect(timeZoneName('coahuila', 'Cd. Acuña')).toBe('America/Matamoros');
  });
});
