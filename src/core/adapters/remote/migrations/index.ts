import type { Migrations } from '../../../../platform/db/index.ts';
import * as coreFeedCursor from './0040-core-feed-cursor.ts';

/** The remote core adapter's table: its place in the core's change feed. */
export const remoteCoreMigrations: Migrations = {
  '0040-core-feed-cursor': coreFeedCursor,
};
