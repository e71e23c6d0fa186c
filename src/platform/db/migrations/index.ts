import type { Migrations } from '../migrate.ts';
import * as outbox from './0001-outbox.ts';
import * as scheduledJobs from './0011-scheduled-jobs.ts';
import * as housekeepingIndexes from './0021-housekeeping-indexes.ts';
import * as eventContract from './0022-event-contract.ts';
import * as processedEvents from './0023-processed-events.ts';
import * as processedEventsPruning from './0035-processed-events-pruning.ts';
import * as eventCorrelation from './0038-event-correlation.ts';
import * as dataEncryptionKeys from './0042-data-encryption-keys.ts';
import * as outboxSnapshotWindows from './0060-outbox-snapshot-windows.ts';

/**
 * The platform's own tables: the outbox and event streams, the consumers' inbox, scheduled jobs,
 * the data-encryption keys and the indexes housekeeping deletes by. Every other table's migrations are its owner's (a module's
 * `infra/migrations`, the ledger adapter's, the authorisation server's, a facade's wire store's);
 * the composition root assembles them all (src/app/portico-migrations.ts). Names are permanent once
 * released: add new files, never edit or rename an applied one.
 */
export const platformMigrations: Migrations = {
  '0001-outbox': outbox,
  '0011-scheduled-jobs': scheduledJobs,
  '0021-housekeeping-indexes': housekeepingIndexes,
  '0022-event-contract': eventContract,
  '0023-processed-events': processedEvents,
  '0035-processed-events-pruning': processedEventsPruning,
  '0038-event-correlation': eventCorrelation,
  '0042-data-encryption-keys': dataEncryptionKeys,
  '0060-outbox-snapshot-windows': outboxSnapshotWindows,
};
