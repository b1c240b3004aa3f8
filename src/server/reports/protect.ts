// Complementary (secondary) suppression for aggregate-only views (observers). Hiding the counts under 5 is not
// enough when the totals are shown: a hidden cell that is the only hidden one of its row is its row's total minus
// the cells shown. This module decides which further cells to hide so that no hidden cell can be worked out by
// adding and subtracting the rows, columns and totals of the table.
//
// The table is a grid of counts whose last row and last column are the totals of the others (countries × tracks
// with the region's row and the all-tracks column). Hidden cells are edges of a graph whose vertices are the grid's
// lines (one per row, one per column): a hidden cell can be derived from the line sums exactly when its edge is a
// bridge of that graph (it lies on no cycle of hidden cells). The rule, applied until nothing changes:
//
//   1. primary: every count under `minimum` (0 included) is hidden;
//   2. no bridge: for a hidden cell on no cycle, hide the cheapest (smallest sum of values) set of cells that closes a
//      rectangle through it — at least two hidden cells in every line follows;
//   3. no line whose total is shown may have hidden cells summing to less than `minimum` (that would tell they were
//      all small, and "all zero" when the sum is 0): hide its smallest shown cell.
//
// Ties are broken by position (first row, then first column), so the same figures always hide the same cells.

export type Mask = boolean[][];

/**
 * Cells to hide in `grid` (rows × columns, the last row and column being the totals). `unpublished` marks cells that
 * are never shown anywhere (e.g. an all-tracks total of people who may hold several tracks): to the attacker they are
 * unknowns like hidden ones, so they start hidden.
 */
export function protectGrid(grid: number[][], minimum: number, unpublished?: Mask): Mask {
  const rows = grid.length;
  const cols = rows ? grid[0]!.length : 0;
  const hidden: Mask = grid.map((row, i) => row.map((v, j) => v < minimum || Boolean(unpublished?.[i]?.[j])));
  if (rows < 2 || cols < 2) return hidden;
  for (let guard = 0; guard < rows * cols + 1; guard++) {
    const changed = closeBridge(grid, hidden) || lineSums(grid, hidden, minimum);
    if (!changed) break;
  }
  return hidden;
}

/** Rule 3 for the first line that breaks it; true when a cell was hidden. */
function lineSums(grid: number[][], hidden: Mask, minimum: number): boolean {
  const rows = grid.length;
  const cols = grid[0]!.length;
  const lines: [number, number][][] = [];
  for (let i = 0; i < rows; i++) lines.push(Array.from({ length: cols }, (_, j) => [i, j] as [number, number]));
  for (let j = 0; j < cols; j++) lines.push(Array.from({ length: rows }, (_, i) => [i, j] as [number, number]));
  for (const line of lines) {
    const total = line[line.length - 1]!;
    if (hidden[total[0]]![total[1]]) continue; // the line's equation has the hidden total in it: no bound
    const cells = line.slice(0, -1);
    const hiddenCells = cells.filter(([i, j]) => hidden[i]![j]);
    if (hiddenCells.length === 0) continue;
    const sum = hiddenCells.reduce((s, [i, j]) => s + grid[i]![j]!, 0);
    if (sum >= minimum) continue;
    const candidates = line.filter(([i, j]) => !hidden[i]![j]); // the total last: hiding it is the last resort
    const pick = candidates.slice(0, -1).sort(([a, b], [c, d]) => grid[a]![b]! - grid[c]![d]!)[0] ?? candidates[0];
    if (!pick) continue;
    hidden[pick[0]]![pick[1]] = true;
    return true;
  }
  return false;
}

/** Rule 2 for the first bridge; true when cells were hidden. */
function closeBridge(grid: number[][], hidden: Mask): boolean {
  const bridge = firstBridge(hidden);
  if (!bridge) return false;
  const [r, c] = bridge;
  const rows = grid.length;
  const cols = grid[0]!.length;
  let best: { cost: number; cells: [number, number][] } | null = null;
  for (let i = 0; i < rows; i++) {
    if (i === r) continue;
    for (let j = 0; j < cols; j++) {
      if (j === c) continue;
      const cells = ([[r, j], [i, j], [i, c]] as [number, number][]).filter(([a, b]) => !hidden[a]![b]);
      const cost = cells.reduce((s, [a, b]) => s + grid[a]![b]! + 1, 0); // +1: fewer cells win a tie in value
      if (!best || cost < best.cost) best = { cost, cells };
    }
  }
  for (const [a, b] of best!.cells) hidden[a]![b] = true;
  return best!.cells.length > 0;
}

/** The first hidden cell (row-major) that is a bridge of the line graph, or null. */
export function firstBridge(hidden: Mask): [number, number] | null {
  const rows = hidden.length;
  const cols = rows ? hidden[0]!.length : 0;
  // Vertices: rows 0..rows-1, columns rows..rows+cols-1. Edges: hidden cells.
  const edges: [number, number][] = [];
  const adjacency: { to: number; edge: number }[][] = Array.from({ length: rows + cols }, () => []);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++)
      if (hidden[i]![j]) {
        const e = edges.push([i, j]) - 1;
        adjacency[i]!.push({ to: rows + j, edge: e });
        adjacency[rows + j]!.push({ to: i, edge: e });
      }
  const order = new Array<number>(rows + cols).fill(-1);
  const low = new Array<number>(rows + cols).fill(0);
  const bridges = new Set<number>();
  let counter = 0;
  // Iterative DFS (Tarjan's bridge-finding), so a large grid cannot exhaust the stack.
  for (let start = 0; start < rows + cols; start++) {
    if (order[start] !== -1) continue;
    const stack: { v: number; via: number; next: number }[] = [{ v: start, via: -1, next: 0 }];
    order[start] = low[start] = counter++;
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const list = adjacency[top.v]!;
      if (top.next < list.length) {
        const { to, edge } = list[top.next++]!;
        if (edge === top.via) continue;
        if (order[to] === -1) {
          order[to] = low[to] = counter++;
          stack.push({ v: to, via: edge, next: 0 });
        } else low[top.v] = Math.min(low[top.v]!, order[to]!);
      } else {
        stack.pop();
        const parent = stack[stack.length - 1];
        if (parent) {
          low[parent.v] = Math.min(low[parent.v]!, low[top.v]!);
          if (low[top.v]! > order[parent.v]!) bridges.add(top.via);
        }
      }
    }
  }
  let first: [number, number] | null = null;
  for (const e of bridges) {
    const cell = edges[e]!;
    if (!first || cell[0] < first[0] || (cell[0] === first[0] && cell[1] < first[1])) first = cell;
  }
  return first;
}
