// Calendar days in a country's time zone. A certificate lapses at an instant; "the day it lapses" is the date that
// instant falls on where the learner works, so a reminder is decided by local dates, never by hours since a run.

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The local date (YYYY-MM-DD) of an instant in an IANA time zone. */
export function localDate(at: number, timeZone: string): string {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, format);
  }
  return format.format(at);
}

/** Whole calendar days from date `from` to date `to` (both YYYY-MM-DD): 0 on the same day, negative when `to` is before. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The local month (YYYY-MM) of an instant in an IANA time zone. */
export function localMonth(at: number, timeZone: string): string {
  return localDate(at, timeZone).slice(0, 7);
}

/** The month before (or `delta` months from) a YYYY-MM month. */
export function shiftMonth(month: string, delta: number): string {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + delta;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The instant a local date (YYYY-MM-DD) begins in a time zone: its local midnight. */
export function startOfLocalDay(date: string, timeZone: string): number {
  const midnightUtc = Date.parse(`${date}T00:00:00Z`);
  // The zone's offset at the UTC instant of that midnight, then again at the guess (a DST change in between).
  let guess = midnightUtc - offsetAt(midnightUtc, timeZone);
  guess = midnightUtc - offsetAt(guess, timeZone);
  return guess;
}

const partFormatters = new Map<string, Intl.DateTimeFormat>();

/** How far a zone's wall clock is ahead of UTC at an instant (ms; negative west of Greenwich). */
function offsetAt(at: number, timeZone: string): number {
  let format = partFormatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    partFormatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, Number(p.value)]));
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return wall - Math.floor(at / 1000) * 1000;
}
