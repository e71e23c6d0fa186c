import type { ErrorDefinition } from '../../../platform/errors/index.ts';
import { reject } from '../certificate-checks.ts';
import { DirectoryErrors } from '../directory.errors.ts';
import type { TppDirectory } from '../tpp-directory.port.ts';
import type { RegistersRepository } from './registers.repository.port.ts';
import { standingIn, type RegisterStanding } from './register-standing.ts';

/**
 * The directory adapter with the competent authorities' registers consulted after it: a
 * certificate it accepts must also name an organisation the registers authorise, now, to act in
 * the bank's country (home or passported), and the roles are narrowed to those the registers grant
 * there. Registers are read from the database on every decision the verdict memo does not hold, so
 * a synchronisation that withdraws a TPP applies on its next call (the sync retires the memo).
 */
export function withRegisterChecks(directory: TppDirectory, registers: RegistersRepository, country: string): TppDirectory {
  return {
    ...directory,
    async validateCertificate(certificate, options) {
      const verdict = await directory.validateCertificate(certificate, options);
      if (!verdict.ok) return verdict;
      const standing = standingIn(await registers.entitiesByIdentifier(verdict.organisation.organizationIdentifier), country);
      const error = registerError(standing);
      if (error || standing.status !== 'authorised') return reject(error ?? DirectoryErrors.REGISTER_UNKNOWN);
      const roles = verdict.roles.filter((role) => standing.roles.includes(role));
      if (roles.length === 0) return reject(DirectoryErrors.ROLES_NOT_AUTHORISED);
      return { ...verdict, roles };
    },
  };
}

export function registerError(standing: RegisterStanding): ErrorDefinition | undefined {
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
