import { utc } from '@date-fns/utc';

/** date-fns context option: every calendar field read and written in UTC, whatever the process's zone. */
export const UTC = { in: utc } as const;

/** A plain `Date` of the same instant (date-fns returns its `UTCDate` subclass under `UTC`). */
export const plainDate = (date: Date): Date => new Date(date.getTime());

/** The calendar day (`YYYY-MM-DD`) of an instant, in UTC. */
export const utcDayOf = (at: Date | number): string => new Date(at).toISOString().slice(0, 10);

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** An RFC 3339 date-time: seconds and their fractions optional, the offset (`Z` or ±hh:mm) required. */
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/i;

/** Whether `text` is a day of the calendar written `YYYY-MM-DD` (2026-02-30 and 2026-13-01 are not). */
export function isCalendarDay(text: string): boolean {
  if (!DAY.test(text)) return false;
  const at = Date.parse(`${text}T00:00:00Z`);
  // Date.parse takes 2026-02-30 as 2026-03-02: the day must come back as written.
  return !Number.isNaN(at) && utcDayOf(at) === text;
}

/**
 * The instant `text` names: an RFC 3339 date-time with its offset (`2026-12-06T10:00:00Z`,
 * `2026-12-06T11:00+01:00`) or a calendar day, taken at its start in UTC. Undefined for anything
 * else: a day that does not exist, a time without its offset (whose local time would it be?), or
 * the free text `new Date` guesses at.
 */
export function parseInstant(text: string): Date | undefined {
  if (DAY.test(text)) return isCalendarDay(text) ? new Date(`${text}T00:00:00Z`) : undefined;
  const parts = DATE_TIME.exec(text);
  if (!parts || !isCalendarDay(parts[1]!)) return undefined;
  const at = new Date(text.toUpperCase());
  return Number.isNaN(at.getTime()) ? undefined : at;
}
