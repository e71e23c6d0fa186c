import type { Json, Timestamp } from '../../../../../platform/db/column-types.ts';

/** XS2A request bodies as received, kept to echo them (migration 0047), encrypted like the OB ones. */
export interface Xs2aWireBodiesTable {
  resource_type: string;
  resource_id: string;
  /** The body encrypted (a JSON string, src/platform/keystore PersonalDataCipher). */
  body: Json<string>;
  created_at: Timestamp;
}

/** The tables the Berlin Group facade owns. */
export interface Xs2aWireTables {
  xs2a_wire_bodies: Xs2aWireBodiesTable;
}
