import type { Migration } from 'kysely/migration';
import * as outbox from './0001-outbox.ts';
import * as coreBank from './0002-core-bank.ts';
import * as psuIdentity from './0003-psu-identity.ts';

/**
 * Every migration, in order. Names are permanent once released: add new files, never edit or
 * rename an applied one.
 */
export const migrations: Record<string, Migration> = {
  '0001-outbox': outbox,
  '0002-core-bank': coreBank,
  '0003-psu-identity': psuIdentity,
};
