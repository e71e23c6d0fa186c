import type { Migrations } from '../../../../../../platform/db/index.ts';
import * as obWireBodies from './0032-ob-wire-bodies.ts';

/** The OB v4.0 facade's wire store: the request bodies it echoes (decision 0008h). */
export const obWireMigrations: Migrations = {
  // Copies the bodies the consents and payments tables held into the wire store's table; those
  // tables lose them in the payments module's 0033.
  '0032-ob-wire-bodies': obWireBodies,
};
