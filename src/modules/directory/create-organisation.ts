import { randomAuthorisationNumber, randomOrganisationId } from './directory-ids.ts';
import type { Organisation, TppRole } from './directory-model.ts';

/** The NCA every sandbox TPP is "authorised" by. */
export const SANDBOX_NCA = { name: 'Financial Conduct Authority', id: 'GB-FCA' } as const;

export interface NewOrganisation {
  readonly legalName: string;
  readonly roles: readonly TppRole[];
  /** Defaults to a random OB-style org_id. */
  readonly id?: string;
  /** Defaults to a random six-digit number. */
  readonly authorisationNumber?: string;
  readonly nca?: { readonly name: string; readonly id: string };
  readonly now?: Date;
}

/**
 * ETSI TS 119 495 §5.2.1: "PSD" + the NCA id of §5.2.2 (country code "-" NCA short name) + "-" +
 * the authorisation number, e.g. `PSDGB-FCA-123456`.
 */
export function organizationIdentifierFor(ncaId: string, authorisationNumber: string): string {
  return `PSD${ncaId}-${authorisationNumber}`;
}

/** An Active organisation with `input`'s details, not yet recorded. */
export function newOrganisation(input: NewOrganisation): Organisation {
  const nca = input.nca ?? SANDBOX_NCA;
  const authorisationNumber = input.authorisationNumber ?? randomAuthorisationNumber();
  const now = input.now ?? new Date();
  return {
    id: input.id ?? randomOrganisationId(),
    legalName: input.legalName,
    ncaName: nca.name,
    ncaId: nca.id,
    authorisationNumber,
    organizationIdentifier: organizationIdentifierFor(nca.id, authorisationNumber),
    roles: [...new Set(input.roles)],
    status: 'Active',
    createdAt: now,
    updatedAt: now,
  };
}
