import type { Timestamp } from '../../../platform/db/column-types.ts';

/** SCA authorisations of consents (migration 0046; `ScaAuthorisation`). */
export interface ScaAuthorisationsTable {
  id: string;
  consent_id: string;
  client_id: string;
  purpose: string;
  status: string;
  redirect_uri: string | null;
  nok_redirect_uri: string | null;
  psu_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  expires_at: Timestamp;
}

/** The tables the PSU authorisation module owns. */
export interface PsuAuthorisationTables {
  sca_authorisations: ScaAuthorisationsTable;
}
