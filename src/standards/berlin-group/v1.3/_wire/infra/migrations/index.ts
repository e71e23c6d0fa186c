import type { Migrations } from '../../../../../../platform/db/index.ts';
import * as xs2aWireBodies from './0047-xs2a-wire-bodies.ts';

/** The Berlin Group facade's wire store: the request bodies it echoes (decision 0008h). */
export const xs2aWireMigrations: Migrations = {
  '0047-xs2a-wire-bodies': xs2aWireBodies,
};
