// Grid clustering of map markers in screen pixels. Points are bucketed into
// square cells, and clusters in neighbouring cells whose centres lie closer
// than one cell are merged, so two markers a pixel apart across a cell border
// still end up in one cluster.

export interface ScreenPoint<T> {
  item: T;
  x: number;
  y: number;
}

export interface Cluster<T> {
  /** Items in the order they were given. */
  items: T[];
  /** Mean of the items' pixel positions. */
  x: number;
  y: number;
}

interface Cell {
  column: number;
  row: number;
  /** Positions in the input array. */
  members: number[];
  sumX: number;
  sumY: number;
}

/**
 * Groups `points` into clusters of roughly `cellSize` pixels. A `cellSize` of
 * 0 or less returns one cluster per point. Points with a non-finite position
 * are left out.
 */
export function gridCluster<T>(points: readonly ScreenPoint<T>[], cellSize: number): Cluster<T>[] {
  const finite = points.filter((point) => Number.isFinite(point.x) && Number.isFinite(point.y));
  if (cellSize <= 0) {
    return finite.map((point) => ({ items: [point.item], x: point.x, y: point.y }));
  }

  const cells = new Map<string, Cell>();
  finite.forEach((point, position) => {
    const column = Math.floor(point.x / cellSize);
    const row = Math.floor(point.y / cellSize);
    const key = `${column}:${row}`;
    let cell = cells.get(key);
    if (cell === undefined) {
      cell = { column, row, members: [], sumX: 0, sumY: 0 };
      cells.set(key, cell);
    }
    cell.members.push(position);
    cell.sumX += point.x;
    cell.sumY += point.y;
  });

  return mergeNeighbours(cells, cellSize)
    .map((members) => members.sort((a, b) => a - b))
    .sort((a, b) => a[0]! - b[0]!)
    .map((members) => {
      const chosen = members.map((position) => finite[position]!);
      return {
        items: chosen.map((point) => point.item),
        x: chosen.reduce((sum, point) => sum + point.x, 0) / chosen.length,
        y: chosen.reduce((sum, point) => sum + point.y, 0) / chosen.length,
      };
    });
}

/**
 * Joins each cell with those of its eight neighbours whose centre is less than
 * `cellSize` away, and returns the input positions of each resulting group.
 */
function mergeNeighbours(cells: Map<string, Cell>, cellSize: number): number[][] {
  const list = [...cells.values()];
  const parent = list.map((_, index) => index);
  const indexOf = new Map(list.map((cell, index) => [`${cell.column}:${cell.row}`, index]));
  const root = (index: number): number => {
    let current = index;
    while (parent[current] !== current) {
      current = parent[current]!;
    }
    return current;
  };
  const centre = (cell: Cell) => [cell.sumX / cell.members.length, cell.sumY / cell.members.length] as const;

  list.forEach((cell, index) => {
    const [x, y] = centre(cell);
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        const neighbour = indexOf.get(`${cell.column + dx}:${cell.row + dy}`);
        if (neighbour === undefined || neighbour <= index) continue;
        const [otherX, otherY] = centre(list[neighbour]!);
        if (Math.hypot(x - otherX, y - otherY) < cellSize) {
          parent[root(neighbour)] = root(index);
        }
      }
    }
  });

  const groups = new Map<number, number[]>();
  list.forEach((cell, index) => {
    const key = root(index);
    const group = groups.get(key) ?? [];
    group.push(...cell.members);
    groups.set(key, group);
  });
  return [...groups.values()];
}
