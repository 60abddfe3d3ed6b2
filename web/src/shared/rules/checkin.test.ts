// Runs every vector in spec/checkin against the TypeScript rules. The Rust tests in
// crates/ronda-domain/src/checkin/vectors.rs run the same files.

import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CHECKIN_RULES,
  decideOnDevice,
  radiusM,
  verdict,
  type CheckIn,
  type Target,
  type TrackFix,
} from './checkin.ts';

interface Case {
  name: string;
  note: string;
  target: Target;
  check_in: CheckIn;
  received_at: number;
  track: TrackFix[];
  expected: {
    on_device: { decision: string; reasons: string[] };
    verdict: { outcome: string; reasons: Record<string, unknown>[] };
  };
}

const vectorDir = resolve(import.meta.dirname, '../../../../spec/checkin');
const files = readdirSync(vectorDir).filter((name) => name.endsWith('.json')).sort();

function expectMatches(expected: Record<string, unknown>, actual: Record<string, unknown>, label: string): void {
  for (const [key, value] of Object.entries(expected)) {
    if (typeof value === 'number') {
      expect(actual[key], `${label} ${key}`).toBeTypeOf('number');
      expect(Math.abs((actual[key] as number) - value), `${label} ${key}`).toBeLessThanOrEqual(0.2);
    } else {
      expect(actual[key], `${label} ${key}`).toEqual(value);
    }
  }
}

function runCase(testCase: Case): void {
  const rules = DEFAULT_CHECKIN_RULES;
  const device = decideOnDevice(rules, testCase.target, testCase.check_in);
  expect(device.decision, 'on-device decision').toBe(testCase.expected.on_device.decision);
  expect(
    device.reasons.map((reason) => reason.code),
    'on-device reasons',
  ).toEqual(testCase.expected.on_device.reasons);

  const result = verdict(rules, testCase.target, testCase.check_in, testCase.received_at, testCase.track);
  expect(result.outcome, 'verdict outcome').toBe(testCase.expected.verdict.outcome);
  expect(result.reasons.length, `verdict reasons ${JSON.stringify(result.reasons)}`).toBe(
    testCase.expected.verdict.reasons.length,
  );
  testCase.expected.verdict.reasons.forEach((expected, index) => {
    const actual = result.reasons[index] as unknown as Record<string, unknown>;
    expectMatches(expected, actual, `reason ${index}`);
  });
}

describe('check-in vectors', () => {
  it('finds the vector files', () => {
    expect(files.length).toBeGreaterThanOrEqual(2);
  });

  for (const file of files) {
    const vectors = JSON.parse(readFileSync(join(vectorDir, file), 'utf8')) as { cases: Case[] };
    describe(file, () => {
      for (const testCase of vectors.cases) it(testCase.name, () => runCase(testCase));
    });
  }
});

describe('radiusM', () => {
  it('caps the accuracy at the maximum', () => {
    expect(radiusM(DEFAULT_CHECKIN_RULES, 1000, 1)).toBe(200);
  });

  it('adds the whole allowance at confidence 0', () => {
    expect(radiusM(DEFAULT_CHECKIN_RULES, 0, 0)).toBe(500);
  });
});
