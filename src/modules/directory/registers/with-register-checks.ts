import type { ErrorDefinition } from '../../../platform/errors/index.ts';
import { reject } from '../certificate-checks.ts';
import { DirectoryErrors } from '../directory.errors.ts';
import { noted } from '../trust-trace.ts';
import type { TppDirectory } from '../tpp-directory.port.ts';
import type { RegistersRepository } from './registers.repository.port.ts';
import { standingIn, type RegisterStanding } from './register-standing.ts';

/**
 * Looks an organisation the held registers do not list up at a register that is read by entity,
 * holding what it finds; whether it found it. Never throws: a register that cannot be reached
 * leaves the organisation unknown (refused), as it was.
 */
export type UnknownEntityLookup = (organizationIdentifier: string) => Promise<boolean>;

/**
 * The directory adapter with the competent authorities' registers consulted after it: a
 * certificate it accepts must also name an organisation the registers authorise, now, to act in
 * the bank's country (home or passported), and the roles are narrowed to those the registers grant
 * there. Registers are read from the database on every decision the verdict memo does not hold, so
 * a synchronisation that withdraws a TPP applies on its next call (the sync retires the memo).
 */
export function withRegisterChecks(directory: TppDirectory, registers: RegistersRepository, country: string, lookUpUnknown?: UnknownEntityLookup): TppDirectory {
  return {
    ...directory,
    async validateCertificate(certificate, options) {
      const verdict = await directory.validateCertificate(certificate, options);
      if (!verdict.ok) return verdict;
      const trace = options?.trace;
      const { organizationIdentifier } = verdict.organisation;
      let entities = await registers.entitiesByIdentifier(organizationIdentifier);
      // A register read by entity (the FCA's API) is asked about an organisation it has not been yet.
      if (entities.length === 0 && lookUpUnknown && (await lookUpUnknown(organizationIdentifier))) entities = await registers.entitiesByIdentifier(organizationIdentifier);
      const standing = standingIn(entities, country);
      const error = noted(trace, `registers (${country})`, registerError(standing), () => describeStanding(standing, organizationIdentifier));
      if (error || standing.status !== 'authorised') return reject(error ?? DirectoryErrors.REGISTER_UNKNOWN);
      const roles = verdict.roles.filter((role) => standing.roles.includes(role));
      if (noted(trace, 'roles with the registers', roles.length === 0 ? DirectoryErrors.ROLES_NOT_AUTHORISED : undefined, () => roles.join(', '))) return reject(DirectoryErrors.ROLES_NOT_AUTHORISED);
      return { ...verdict, roles };
    },
  };
}

function describeStanding(standing: RegisterStanding, organizationIdentifier: string): string {
  if (standing.status === 'unknown') return `no register lists ${organizationIdentifier}`;
  const entries = standing.entities
    .map((entity) => {
      const services = Object.entries(entity.services).map(([country, roles]) => `${country}: ${roles.join('+')}`).join('; ');
      const since = entity.authorised ? `authorised since ${entity.authorisedFrom ?? '?'}` : `withdrawn ${entity.withdrawnOn ?? ''}${entity.listed ? '' : ' (no longer listed)'}`;
      return `${entity.register} ${entity.entityCode} ${entity.name}, ${since}, services ${services || 'none'}`;
    })
    .join(' | ');
  return standing.status === 'authorised' ? `${standing.basis === 'home' ? 'home authorisation' : 'passported'}: ${entries}` : entries;
}

function registerError(standing: RegisterStanding): ErrorDefinition | undefined {
  switch (standing.status) {
    case 'authorised':
      return undefined;
    case 'unknown':
      return DirectoryErrors.REGISTER_UNKNOWN;
    case 'withdrawn':
      return DirectoryErrors.REGISTER_WITHDRAWN;
    case 'not-in-country':
      return DirectoryErrors.REGISTER_NOT_PASSPORTED;
  }
}
