// The rules of a workshop that need no database: what counts as a calendar day, and the attendance rule that decides
// credit. Hours are compared as whole minutes so that exactly 80 % of 7.5 h meets an 80 % rule (no float rounding).

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether a string is a real calendar day written YYYY-MM-DD (2026-02-30 is not). */
export function isCalendarDay(value: string): boolean {
  const match = ISO_DAY.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value;
}

/** The UTC calendar day of a moment, YYYY-MM-DD. */
export function dayOf(moment: number | Date): string {
  return new Date(moment).toISOString().slice(0, 10);
}

/** The first moment (UTC) of a calendar day. */
export function startOfDay(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

export function minutesOf(hours: number): number {
  return Math.round(hours * 60);
}

export interface AttendanceTally {
  attendedMinutes: number;
  totalMinutes: number;
  /** Whole percent of the hours attended, rounded down (79.9 % shows as 79, and does not meet an 80 % rule). */
  percent: number;
  met: boolean;
}

/** How much of the workshop's hours a person attended, and whether that meets the rule. A day without a row is absent. */
export function tallyAttendance(sessions: readonly { id: number; hours: number }[], presentSessionIds: ReadonlySet<number>, rulePercent: number): AttendanceTally {
  let totalMinutes = 0;
  let attendedMinutes = 0;
  for (const session of sessions) {
    const minutes = minutesOf(session.hours);
    totalMinutes += minutes;
    if (presentSessionIds.has(session.id)) attendedMinutes += minutes;
  }
  const met = totalMinutes > 0 && attendedMinutes * 100 >= rulePercent * totalMinutes;
  return { attendedMinutes, totalMinutes, percent: totalMinutes === 0 ? 0 : Math.floor((attendedMinutes * 100) / totalMinutes), met };
}

/**
 * A person added to the roster once the workshop has begun (its first day has come) is a late addition: recorded in
 * the audit log, since it can change who is credited.
 */
export function isLateAddition(workshop: { startsOn: string; state: string }, now: number): boolean {
  return workshop.state !== 'planned' || dayOf(now) >= workshop.startsOn;
}
