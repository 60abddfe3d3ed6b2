import { describe, expect, it } from 'vitest';
import { formatVertices, parsePostalCodes, parseVertices } from './assignArea';

describe('parsePostalCodes', () => {
  it('splits, dedupes and flags bad codes', () => {
    expect(parsePostalCodes('06000, 44100\n06000 1000 ABCDE')).toEqual({
      codes: ['06000', '44100'],
      invalid: ['1000', 'ABCDE'],
    });
  });
});

describe('parseVertices', () => {
  it('reads pairs and flags other lines', () => {
    const parsed = parseVertices('19.43, -99.13\n19.44;-99.12\n\n95, 10\nnorte');
    expect(parsed.vertices).toEqual([
      [19.43, -99.13],
      [19.44, -99.12],
    ]);
    expect(parsed.invalid).toEqual(['95, 10', 'norte']);
  });

  it('round-trips formatted vertices', () => {
    const vertices: Array<[number, number]> = [
      [19.4326, -99.1332],
      [19.44, -99.12],
    ];
    expect(parseVertices(formatVertices(vertices)).vertices).toEqual(vertices);
  });
});
