// Calendar semesters: the reporting periods of the Coalition's plenary meetings, and the only periods aggregate-only
// readers (observers) may ask for — fixed and non-overlapping, so no two of them can be subtracted (aggregate.ts).

export interface Semester {
  id: string; // "2025-2"
  year: number;
  half: 1 | 2;
  start: number; // first instant, UTC
  end: number; // first instant of the next semester
  firstMonth: number; // yyyymm
  lastMonth: number;
}

export function parseSemester(id: string | null | undefined): Semester | null {
  const m = id ? /^(\d{4})-([12])$/.exec(id) : null;
  if (!m) return null;
  const year = Number(m[1]);
  const half = Number(m[2]) as 1 | 2;
  const start = Date.UTC(year, half === 1 ? 0 : 6, 1);
  const end = half === 1 ? Date.UTC(year, 6, 1) : Date.UTC(year + 1, 0, 1);
  return { id: `${year}-${half}`, year, half, start, end, firstMonth: year * 100 + (half === 1 ? 1 : 7), lastMonth: year * 100 + (half === 1 ? 6 : 12) };
}

export function semesterOf(at: number): Semester {
  const d = new Date(at);
  return parseSemester(`${d.getUTCFullYear()}-${d.getUTCMonth() < 6 ? 1 : 2}`)!;
}

export function previousSemester(s: Semester): Semester {
  return parseSemester(s.half === 2 ? `${s.year}-1` : `${s.year - 1}-2`)!;
}

/** The last `count` semesters up to the current one, newest first (for the picker). */
export function recentSemesters(now: number, count = 6): Semester[] {
  const out = [semesterOf(now)];
  while (out.length < count) out.push(previousSemester(out[out.length - 1]!));
  return out;
}

/** Semesters that have ended by `now`, newest first (the periods an observer may read). */
export function closedSemesters(now: number, count = 6): Semester[] {
  const out = [previousSemester(semesterOf(now))];
  while (out.length < count) out.push(previousSemester(out[out.length - 1]!));
  return out;
}
