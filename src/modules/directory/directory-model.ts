import type { JWK } from 'jose';

/** The PSD2 roles a TPP may hold in the directory (an ASPSP role is never granted to a TPP). */
export type TppRole = 'AISP' | 'PISP' | 'CBPII';
export type OrganisationStatus = 'Active' | 'Suspended' | 'Revoked';
export const TPP_ROLES: readonly TppRole[] = ['AISP', 'PISP', 'CBPII'];
export const ORGANISATION_STATUSES: readonly OrganisationStatus[] = ['Active', 'Suspended', 'Revoked'];

export interface Organisation {
  /** The Open Banking org_id. */
  readonly id: string;
  readonly legalName: string;
  readonly ncaName: string;
  readonly ncaId: string;
  readonly authorisationNumber: string;
  /** ETSI TS 119 495 §5.2.1 organizationIdentifier, e.g. `PSDGB-FCA-123456`. */
  readonly organizationIdentifier: string;
  readonly roles: TppRole[];
  readonly status: OrganisationStatus;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** An organisation as every directory describes it: enough to decide whether it may act. */
export type DirectoryOrganisation = Pick<Organisation, 'id' | 'legalName' | 'organizationIdentifier' | 'roles' | 'status'>;

/** A JSON Web Key Set (RFC 7517 §5). */
export interface Jwks {
  readonly keys: JWK[];
}

/** A software statement as the directory holds it now (the SSA is a signed snapshot of it). */
export interface SoftwareStatement {
  readonly softwareId: string;
  readonly organisationId: string;
  readonly clientName: string;
  readonly roles: TppRole[];
  readonly redirectUris: string[];
  readonly status: 'Active' | 'Inactive';
}
