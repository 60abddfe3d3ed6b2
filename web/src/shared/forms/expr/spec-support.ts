// Reading the JSON vectors in spec/expressions/ for the Vitest suites; the
// format is described in spec/README.md.

import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseClock } from './dates.ts';
import { MapEnv } from './env.ts';
import { ExprEvalError, ExprParseError } from './errors.ts';
import { evaluate } from './evaluate.ts';
import { parse } from './parser.ts';
import type { Value } from './value.ts';

export const SPEC_DIR = resolve(import.meta.dirname, '../../../../../spec/expressions');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export interface Vector {
  id: string;
  expr: string;
  context?: JsonObject;
  expected?: { type: string; value: Json };
  error?: { kind: 'parse' | 'eval'; message: string };
  references?: string[];
}

export interface VectorFile {
  name: string;
  context?: JsonObject;
  vectors: Vector[];
}

export function readVectorFiles(): VectorFile[] {
  return readdirSync(SPEC_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => ({ name, ...JSON.parse(readFileSync(join(SPEC_DIR, name), 'utf8')) }));
}

const isObject = (v: Json | undefined): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Builds the environment of a vector: the file's context, with each key of the
 * vector's own context replacing or, for `values` and `choices`, extending it.
 */
export function envFromContext(file?: JsonObject, vector?: JsonObject): MapEnv {
  const merged: JsonObject = {};
  for (const context of [file, vector]) {
    for (const [key, value] of Object.entries(context ?? {})) {
      const existing = merged[key];
      merged[key] = isObject(existing) && isObject(value) ? { ...existing, ...value } : value;
    }
  }
  const now = merged.now;
  const clock = typeof now === 'string' ? parseClock(now) : undefined;
  if (clock === undefined) throw new Error(`invalid or missing context.now ${String(now)}`);
  const env = new MapEnv(clock);
  const values = isObject(merged.values) ? merged.values : {};
  for (const [name, answer] of Object.entries(values)) {
    env.answersByName.set(name, Array.isArray(answer) ? answer.map(String) : [String(answer)]);
  }
  const choices = isObject(merged.choices) ? merged.choices : {};
  for (const [field, labels] of Object.entries(choices)) {
    const map = new Map(Object.entries(isObject(labels) ? labels : {}).map(([k, v]) => [k, String(v)]));
    env.choiceLabels.set(field, map);
  }
  if (typeof merged.current === 'string') env.currentValue = merged.current;
  if (typeof merged.position === 'number') env.positionValue = merged.position;
  return env;
}

/** Writes a value as the vectors do: NaN and the infinities as strings. */
export function valueJson(value: Value): { type: string; value: Json } {
  if (value.type === 'number' && !Number.isFinite(value.value)) {
    let text = 'NaN';
    if (value.value === Infinity) text = 'Infinity';
    if (value.value === -Infinity) text = '-Infinity';
    return { type: 'number', value: text };
  }
  return { type: value.type, value: value.value };
}

export type Outcome =
  | { expected: { type: string; value: Json } }
  | { error: { kind: 'parse' | 'eval'; message: string } };

/** Parses and evaluates `source` the way the Rust vector runner does. */
export function outcome(source: string, env: MapEnv): Outcome {
  let expr;
  try {
    expr = parse(source);
  } catch (error) {
    if (error instanceof ExprParseError) return { error: { kind: 'parse', message: error.message } };
    throw error;
  }
  try {
    return { expected: valueJson(evaluate(expr, env)) };
  } catch (error) {
    if (error instanceof ExprEvalError) return { error: { kind: 'eval', message: error.message } };
    throw error;
  }
}
