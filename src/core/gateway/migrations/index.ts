import type { Migrations } from '../../../platform/db/index.ts';
import * as coreChangeFeed from './gateway-0001-core-change-feed.ts';

/** The reference core gateway's own table, applied to its database after Portico's (`portico core serve`). */
export const coreGatewayMigrations: Migrations = {
  'gateway-0001-core-change-feed': coreChangeFeed,
};
