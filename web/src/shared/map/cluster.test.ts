import { describe, expect, it } from 'vitest';
import { gridCluster, type ScreenPoint } from './cluster';

function point(item: string, x: number, y: number): ScreenPoint<string> {
  return { item, x, y };
}

describe('gridCluster', () => {
  it('keeps distant points apart', () => {
    const clusters = gridCluster([point('a', 10, 10), point('b', 300, 10), point('c', 10, 300)], 60);

    expect(clusters.map((cluster) => cluster.items)).toEqual([['a'], ['b'], ['c']]);
  });

  it('groups points in one cell', () => {
    const clusters = gridCluster([point('a', 5, 5), point('b', 20, 30), point('c', 50, 10)], 60);

    expect(clusters).toHaveLength(1);
    expect(clusters[0]!.items).toEqual(['a', 'b', 'c']);
    expect(clusters[0]!.x).toBeCloseTo(25);
    expect(clusters[0]!.y).toBeCloseTo(15);
  });

  it('merges close points across cell border', () => {
    // 59 and 61 fall in cells 0 and 1 of a 60 px grid but are 2 px apart.
    const clusters = gridCluster([point('a', 59, 59), point('b', 61, 61)], 60);

    expect(clusters).toHaveLength(1);
    expect(clusters[0]!.items).toEqual(['a', 'b']);
  });

  it('leaves neighbour cells apart when centres are far', () => {
    const clusters = gridCluster([point('a', 1, 1), point('b', 119, 1)], 60);

    expect(clusters.map((cluster) => cluster.items)).toEqual([['a'], ['b']]);
  });

  it('orders clusters and items by input order', () => {
    const clusters = gridCluster(
      [point('far', 500, 500), point('x', 59, 10), point('y', 61, 12), point('z', 30, 30)],
      60,
    );

    expect(clusters.map((cluster) => cluster.items)).toEqual([['far'], ['x', 'y', 'z']]);
  });

  it('returns single points when cell size is zero', () => {
    const clusters = gridCluster([point('a', 1, 1), point('b', 1, 1)], 0);

    expect(clusters.map((cluster) => cluster.items)).toEqual([['a'], ['b']]);
  });

  it('skips non-finite positions', () => {
    const clusters = gridCluster([point('a', Number.NaN, 1), point('b', 1, Infinity), point('c', 3, 3)], 60);

    expect(clusters.map((cluster) => cluster.items)).toEqual([['c']]);
  });

  it('clusters a crowd of many points', () => {
    const crowd = Array.from({ length: 200 }, (_, index) => point(`p${index}`, (index % 20) * 2, Math.floor(index / 20) * 2));
    const clusters = gridCluster(crowd, 60);

    expect(clusters).toHaveLength(1);
    expect(clusters[0]!.items).toHaveLength(200);
  });
});
