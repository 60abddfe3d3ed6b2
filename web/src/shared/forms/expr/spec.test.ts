import { describe, expect, it } from 'vitest';
import { parse } from './parser.ts';
import { references } from './references.ts';
import { envFromContext, outcome, readVectorFiles } from './spec-support.ts';

const files = readVectorFiles();

it('finds the vector files', () => {
  expect(files.map((f) => f.name)).toContain('corpus.json');
  expect(files.map((f) => f.name)).toContain('generated.json');
});

for (const file of files) {
  describe(file.name, () => {
    for (const vector of file.vectors) {
      it(`${vector.id}: ${vector.expr}`, () => {
        const env = envFromContext(file.context, vector.context);
        const actual = outcome(vector.expr, env);
        if (vector.error !== undefined) {
          expect(actual).toEqual({ error: vector.error });
        } else {
          expect(actual).toEqual({ expected: vector.expected });
        }
        if (vector.references !== undefined) {
          expect(references(parse(vector.expr))).toEqual(vector.references);
        }
      });
    }
  });
}
