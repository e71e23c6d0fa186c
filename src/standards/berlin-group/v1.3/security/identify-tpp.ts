import { clientIdOfOrganisation } from '../../../../modules/clients/index.ts';
import { AppError } from '../../../../platform/errors/index.ts';
import { Xs2aErrors } from '../xs2a-errors.ts';
import { checksAsOf, type Xs2aCertificateCheck, type Xs2aStep } from './xs2a-context.ts';

/** The owner id of an organisation's XS2A consents and payments. */
export const xs2aClientIdOf = clientIdOfOrganisation;

/** The PSD2 role each XS2A service needs (PSD2 Art. 66, 67, 65). */
export type Xs2aService = 'AIS' | 'PIS' | 'PIIS';
const ROLE_OF: Record<Xs2aService, string> = { AIS: 'AISP', PIS: 'PISP', PIIS: 'CBPII' };

/**
 * XS2A identifies the TPP on every call by its QWAC on the TLS connection (no registration, no
 * OAuth client): the directory decides it is trusted now (chain, validity, revocation, register)
 * and which PSD2 roles the organisation holds; the service needs its role (one of several
 * services: the role of any of them, as signing baskets of payments and consents).
 */
export function identifyTpp(check: Xs2aCertificateCheck, service: Xs2aService | readonly Xs2aService[]): Xs2aStep {
  const services: readonly Xs2aService[] = typeof service === 'string' ? [service] : service;
  return async (request) => {
    const certificate = request.clientCertificate();
    if (!certificate) throw new AppError(Xs2aErrors.CERTIFICATE_MISSING);
    if (!certificate.transportTrusted) throw new AppError(Xs2aErrors.CERTIFICATE_UNTRUSTED);
    const verdict = await check(certificate.der, 'transport', checksAsOf(request));
    if (!verdict.ok) throw verdict.error;
    const roles = services.map((one) => ROLE_OF[one]);
    if (!roles.some((role) => verdict.roles.includes(role))) throw new AppError(Xs2aErrors.ROLE_INVALID, { message: `The TPP does not hold the PSD2 role ${roles.join(' or ')} now: ${services.join(' or ')} needs it` });
    request.xs2aTpp = { clientId: xs2aClientIdOf(verdict.organisation.id), organisationId: verdict.organisation.id, legalName: verdict.organisation.legalName, roles: verdict.roles };
  };
}
