import type { Generated } from 'kysely';
import type { Json, NullableTimestamp, Timestamp } from '../../../platform/db/column-types.ts';
import type { OrganisationStatus, TppRole } from '../directory-model.ts';

/** Organisations the directory vouches for (migration 0004). */
export interface DirectoryOrganisationsTable {
  /** The Open Banking org_id. */
  id: string;
  legal_name: string;
  nca_name: string;
  nca_id: string;
  authorisation_number: string;
  /** ETSI TS 119 495 §5.2.1, e.g. `PSDGB-FCA-123456`; the certificate subject carries it. */
  organization_identifier: string;
  roles: Json<TppRole[]>;
  status: OrganisationStatus;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface DirectorySoftwareStatementsTable {
  software_id: string;
  organisation_id: string;
  client_name: string;
  redirect_uris: Json<string[]>;
  roles: Json<TppRole[]>;
  /** The TPP's public signing JWKS (RFC 7517), published at the SSA's software_jwks_endpoint. */
  jwks: Json<{ keys: Record<string, unknown>[] }>;
  status: 'Active' | 'Inactive';
  created_at: Timestamp;
}

export interface DirectoryCertificatesTable {
  /** Lower-case hex, as @peculiar/x509 reports it. */
  serial_number: string;
  organisation_id: string;
  software_id: string | null;
  usage: 'transport' | 'signing';
  subject: string;
  /** RFC 8705 §3.1 x5t#S256: base64url SHA-256 of the DER certificate. */
  sha256_thumbprint: string;
  not_before: Timestamp;
  not_after: Timestamp;
  revoked_at: NullableTimestamp;
  revocation_reason: string | null;
  pem: string;
  /** The smallest expiry threshold (days) already warned of (migration 0045). */
  expiry_warned_days: Generated<number | null>;
}

/** The sandbox QTSP's key material (one row). */
export interface DirectoryCaTable {
  id: string;
  root_cert_pem: string;
  issuing_cert_pem: string;
  /** PKCS#8, sealed under the key-encryption key (a JSON SealedSecret) by the platform; the sandbox QTSP only, a production QTSP keeps keys in an HSM. */
  issuing_key_pem: string;
  crl_number: Generated<bigint>;
  /** PKCS#8, sealed as `issuing_key_pem` is. */
  directory_signing_key_pem: string;
  directory_signing_kid: string;
  created_at: Timestamp;
}

/** An entity of a competent authority's register, as last synchronised (migration 0043). */
export interface RegisterEntitiesTable {
  register: string;
  entity_code: string;
  organization_identifier: string;
  name: string;
  entity_type: string;
  home_country: string;
  authorised: boolean;
  authorised_from: string | null;
  withdrawn_on: string | null;
  /** Country → roles it may act in there (home country and host countries). */
  services: Json<Record<string, TppRole[]>>;
  /** False once the register no longer lists it (then also not authorised). */
  listed: boolean;
  /** SHA-256 of what a decision reads, to tell a change from a re-listing. */
  content_hash: string;
  updated_at: Timestamp;
}

/** One synchronisation of a register and what it changed. */
export interface RegisterSyncsTable {
  id: string;
  register: string;
  source: string;
  started_at: Timestamp;
  finished_at: Timestamp;
  total: number;
  added: number;
  withdrawn: number;
  changed: number;
  unchanged: number;
  report: Json<unknown>;
}

/** A trusted list as last imported (migration 0044). */
export interface TrustedListsTable {
  territory: string;
  sequence_number: number;
  issued_at: Timestamp;
  next_update: NullableTimestamp;
  source: string;
  signer_pem: string | null;
  service_count: number;
  imported_at: Timestamp;
}

/** A qualified trust service of a list: its certificate, what it may issue, its status history. */
export interface TrustedServicesTable {
  territory: string;
  position: number;
  provider_name: string;
  service_name: string;
  service_type: string;
  /** The certificate's subject as @peculiar/x509 writes it: issuers are found by it. */
  certificate_subject: string;
  certificate_pem: string;
  uses: Json<string[]>;
  /** Oldest first: `{ status, from }` with `from` an ISO date-time. */
  statuses: Json<{ status: string; from: string }[]>;
}

/** The tables the directory module owns. */
export interface DirectoryTables {
  directory_organisations: DirectoryOrganisationsTable;
  directory_software_statements: DirectorySoftwareStatementsTable;
  directory_certificates: DirectoryCertificatesTable;
  directory_ca: DirectoryCaTable;
  register_entities: RegisterEntitiesTable;
  register_syncs: RegisterSyncsTable;
  trusted_lists: TrustedListsTable;
  trusted_services: TrustedServicesTable;
}
