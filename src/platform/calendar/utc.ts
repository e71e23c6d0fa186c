import { utc } from '@date-fns/utc';

/** date-fns context option: every calendar field read and written in UTC, whatever the process's zone. */
export const UTC = { in: utc } as const;

/** A plain `Date` of the same instant (date-fns returns its `UTCDate` subclass under `UTC`). */
export const plainDate = (date: Date): Date => new Date(date.getTime());
