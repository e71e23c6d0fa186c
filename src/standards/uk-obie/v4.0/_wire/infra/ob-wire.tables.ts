import type { Json, Timestamp } from '../../../../../platform/db/column-types.ts';

/**
 * OB v4.0 request bodies as received, kept by the facade to echo them in its responses
 * (migration 0032). One per resource: the consent, payment, standing order or file payment the
 * request created, committed with it.
 */
export interface ObWireBodiesTable {
  /** `consent`, `payment`, `standing-order` or `file-payment`. */
  resource_type: string;
  resource_id: string;
  /** The body encrypted (a JSON string, src/platform/keystore PersonalDataCipher); an object when kept before encryption. */
  body: Json<string | Record<string, unknown>>;
  created_at: Timestamp;
}

/** The tables the OB v4.0 facade owns. */
export interface ObWireTables {
  ob_wire_bodies: ObWireBodiesTable;
}
