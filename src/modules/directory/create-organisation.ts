import type { Db } from '../../platform/db/index.ts';
import { randomAuthorisationNumber, randomOrganisationId } from './directory-ids.ts';
import { toOrganisation, type Organisation, type TppRole } from './directory-model.ts';

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

/** Registers an Active organisation; throws the database's unique violation on an id clash. */
export async function createOrganisation(db: Db, input: NewOrganisation): Promise<Organisation> {
  const nca = input.nca ?? SANDBOX_NCA;
  const authorisationNumber = input.authorisationNumber ?? randomAuthorisationNumber();
  const now = input.now ?? new Date();
  const row = await db
    .insertInto('directory_organisations')
    .values({
      id: input.id ?? randomOrganisationId(),
      legal_name: input.legalName,
      nca_name: nca.name,
      nca_id: nca.id,
      authorisation_number: authorisationNumber,
      organization_identifier: organizationIdentifierFor(nca.id, authorisationNumber),
      roles: JSON.stringify([...new Set(input.roles)]),
      status: 'Active',
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toOrganisation(row);
}
