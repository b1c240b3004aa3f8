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
