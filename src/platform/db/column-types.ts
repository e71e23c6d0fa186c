import type { ColumnType } from 'kysely';

/** Timestamps are written as Date or ISO strings and read back as Date. */
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
export type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** jsonb: written as its JSON text, read back parsed. */
export type Json<T> = ColumnType<T, string, string>;
