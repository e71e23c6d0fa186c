import type { FastifyRequest } from 'fastify';
import type { Balances } from '../../../../core/index.ts';
import { grantsAccess, type AccountsApi, type AisResource } from '../../../../modules/accounts/index.ts';
import { accessScopeOf, type AccountKind, type Consent, type ConsentsApi } from '../../../../modules/consents/index.ts';
import { checkAccountInConsent, checkConsentCovers, checkConsentValid, countUnattendedRead } from '../security/check-consent.ts';
import { checksAsOf, type Xs2aStep } from '../security/xs2a-context.ts';

/** What the account and card account reads are given. */
export interface AccountReadsRoutesOptions {
  readonly reads: AccountsApi;
  readonly consents: Pick<ConsentsApi, 'findForRequest' | 'countUnattendedAccess'>;
  readonly publicUrl: string;
  /** The TPP's identification (QWAC with the AISP role). */
  readonly security: Xs2aStep[];
  readonly now: () => Date;
}

export interface WithBalanceQuery {
  withBalance?: string;
}

/** The details with their balances, where there are any. */
export const withBalances = <T extends object>(details: T, balances: unknown[] | undefined) => (balances ? { ...details, balances } : details);

/**
 * The steps and helpers the reads of one kind of account share (`/accounts` payment accounts,
 * `/card-accounts` cards): the TPP's QWAC, a valid consent of its own covering the resource and,
 * per account, an account of that kind in the consent; without the PSU, the daily frequency.
 */
export function accountReadSteps(options: AccountReadsRoutesOptions, kind: AccountKind) {
  const { reads, consents, now } = options;
  const consentValid = checkConsentValid(consents, now);
  return {
    pipeline: (resource: AisResource, perAccount: boolean): Xs2aStep[] => [
      ...options.security,
      consentValid,
      checkConsentCovers(resource),
      ...(perAccount ? [checkAccountInConsent(reads, resource, kind)] : []),
    ],
    counted: (resource: AisResource) => countUnattendedRead(consents, resource, now),
    accountOf: (request: FastifyRequest) => {
      if (!request.xs2aAccountId) throw new Error('no account on the request: checkAccountInConsent must run first');
      return request.xs2aAccountId;
    },
    links: (consent: Consent) => ({ balances: grantsAccess(accessScopeOf(consent), 'balances'), transactions: grantsAccess(accessScopeOf(consent), 'transactions') }),
    /** Balances, mapped, only where asked and the consent covers balances of the account. */
    async balancesIfAsked<B>(request: FastifyRequest<{ Querystring: WithBalanceQuery }>, consent: Consent, accountIds: readonly string[], map: (balances: Balances) => B): Promise<Map<string, B>> {
      if (request.query.withBalance !== 'true' || !grantsAccess(accessScopeOf(consent), 'balances')) return new Map();
      const readable = await reads.readableAccounts(consent, 'balances', accountIds, checksAsOf(request));
      return new Map((await reads.balances(consent, readable, checksAsOf(request))).map((b) => [b.accountId, map(b)]));
    },
  };
}
