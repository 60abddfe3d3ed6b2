import { expect, it } from 'vitest';
import { COUNT, expressions, MAX_DEPTH, SEED, XorShift32 } from './generate.ts';
import { readVectorFiles } from './spec-support.ts';

it('xorshift32 matches the reference sequence', () => {
  const rng = new XorShift32(1);
  expect([rng.nextU32(), rng.nextU32(), rng.nextU32()]).toEqual([270369, 67634689, 2647435461]);
});

it('generator reproduces generated.json', () => {
  const file = readVectorFiles().find((f) => f.name === 'generated.json');
  expect(file).toBeDefined();
  const generator = (file as unknown as { generator: Record<string, number> }).generator;
  expect(generator).toMatchObject({ seed: SEED, count: COUNT, max_depth: MAX_DEPTH });
  expect(expressions(SEED, COUNT)).toEqual(file?.vectors.map((v) => v.expr));
});
