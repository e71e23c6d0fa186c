import type { DirectoryOrganisationStatus, DirectoryRole, Row } from '../../platform/db/index.ts';

/** The PSD2 roles a TPP may hold in the directory (an ASPSP role is never granted to a TPP). */
export type TppRole = DirectoryRole;
export type OrganisationStatus = DirectoryOrganisationStatus;
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

export function toOrganisation(row: Row<'directory_organisations'>): Organisation {
  return {
    id: row.id,
    legalName: row.legal_name,
    ncaName: row.nca_name,
    ncaId: row.nca_id,
    authorisationNumber: row.authorisation_number,
    organizationIdentifier: row.organization_identifier,
    roles: row.roles,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
