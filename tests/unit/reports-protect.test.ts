// Complementary suppression (src/server/reports/protect.ts): after it, no hidden cell of a table with totals can be
// worked out from the cells shown — checked by the differencing attacker of helpers/reports.ts on many tables.
import { describe, expect, it } from 'vitest';
import { firstBridge, protectGrid } from '../../src/server/reports/protect.ts';
import { derivable, gridEquations } from './helpers/reports.ts';

/** A grid of counts with its totals appended (last row, last column). */
function withTotals(inner: number[][]): number[][] {
  const rows = inner.map((r) => [...r, r.reduce((a, b) => a + b, 0)]);
  rows.push(rows[0]!.map((_, j) => rows.reduce((s, r) => s + r[j]!, 0)));
  return rows;
}

/** What an observer can compute from the grid as published with `hidden` cells. */
function attack(grid: number[][], hidden: boolean[][]) {
  const cell = (i: number, j: number) => (hidden[i]![j] ? 'x' : grid[i]![j]!);
  return derivable(gridEquations(cell, grid.length, grid[0]!.length, (i, j) => `${i},${j}`));
}

function random(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s ^ (s >>> 15), 2246822507) + 0x9e3779b9) >>> 0) / 2 ** 32);
}

describe('complementary suppression', () => {
  it('hiding only the small cells lets the attacker subtract them back (the bug it fixes)', () => {
    // Guatemala's row: 2 specialists, everything else large. Hiding just the 2 leaves 312 − 267 − 11 − 25 − 7 = 2.
    const grid = withTotals([
      [267, 11, 2, 25, 7],
      [120, 30, 40, 9, 12],
      [80, 22, 19, 14, 30],
    ]);
    const primaryOnly = grid.map((r) => r.map((v) => v < 5));
    expect(attack(grid, primaryOnly).get('0,2')).toBe(2);
    const hidden = protectGrid(grid, 5);
    expect(hidden[0]![2]).toBe(true);
    expect(attack(grid, hidden).size).toBe(0);
  });

  it('leaves no bridge, and no hidden cell derivable, on 300 random tables with small cells', () => {
    const next = random(12);
    for (let n = 0; n < 300; n++) {
      const rows = 2 + Math.floor(next() * 8);
      const cols = 2 + Math.floor(next() * 5);
      const inner = Array.from({ length: rows }, () => Array.from({ length: cols }, () => (next() < 0.35 ? Math.floor(next() * 5) : Math.floor(next() * 60))));
      const grid = withTotals(inner);
      const hidden = protectGrid(grid, 5);
      expect(firstBridge(hidden), `table ${n}`).toBeNull();
      expect([...attack(grid, hidden).keys()], `table ${n}: ${JSON.stringify(grid)}`).toEqual([]);
      // Every count under 5 is hidden, and every line whose total shows hides at least 5 people (or none).
      grid.forEach((r, i) => r.forEach((v, j) => v < 5 && expect(hidden[i]![j]).toBe(true)));
      for (let i = 0; i < grid.length; i++) {
        if (hidden[i]![grid[0]!.length - 1]) continue;
        const sum = grid[i]!.slice(0, -1).reduce((s, v, j) => s + (hidden[i]![j] ? v : 0), 0);
        const count = hidden[i]!.slice(0, -1).filter(Boolean).length;
        expect(count === 0 || sum >= 5, `row ${i} of table ${n}`).toBe(true);
      }
    }
  });

  it('is deterministic and hides nothing where nothing is small', () => {
    const grid = withTotals([
      [3, 40, 50],
      [60, 70, 80],
      [90, 10, 20],
    ]);
    expect(protectGrid(grid, 5)).toEqual(protectGrid(grid.map((r) => [...r]), 5));
    expect(protectGrid(withTotals([[10, 20], [30, 40]]), 5).flat().some(Boolean)).toBe(false);
  });

  it('keeps a row of zeros from showing as zeros through its total', () => {
    // Two empty tracks in a row: hiding the two zeros alone would leave "total − shown = 0", so both are 0.
    const grid = withTotals([
      [0, 0, 30, 40],
      [12, 15, 30, 40],
    ]);
    const hidden = protectGrid(grid, 5);
    const hiddenSum = grid[0]!.slice(0, -1).reduce((s, v, j) => s + (hidden[0]![j] ? v : 0), 0);
    expect(hidden[0]![3] || hiddenSum >= 5).toBe(true);
  });
});

describe('a total that is never published', () => {
  it('counts as unknown: its lines hide no extra cells, the other lines still protect every hidden cell', () => {
    // People can hold several tracks, so an all-tracks coverage total is never shown: rows have no published total.
    const grid = withTotals([
      [25, 1, 0, 9],
      [30, 12, 2, 14],
      [40, 8, 15, 6],
    ]);
    const unpublished = grid.map((r) => r.map((_, j) => j === r.length - 1));
    const hidden = protectGrid(grid, 5, unpublished);
    expect(hidden[0]![0]).toBe(false); // 25 stays shown: the row's sum is nowhere to subtract it from
    const cell = (i: number, j: number) => (hidden[i]![j] ? 'x' : grid[i]![j]!);
    expect([...derivable(gridEquations(cell, grid.length, grid[0]!.length, (i, j) => `${i},${j}`)).keys()]).toEqual([]);
  });
});
