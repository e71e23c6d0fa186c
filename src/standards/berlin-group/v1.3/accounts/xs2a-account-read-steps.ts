import type { FastifyRequest } from 'fastify';
import type { Balances } from '../../../../core/index.ts';
import { grantsAccess, type AccountsApi, type AisResource, type ExposedAccount, type TransactionListing, type TransactionRange } from '../../../../modules/accounts/index.ts';
import { accessScopeOf, type AccountKind, type Consent, type ConsentsApi } from '../../../../modules/consents/index.ts';
import { checkAccountInConsent, checkConsentCovers, checkConsentValid, countUnattendedRead } from '../security/check-consent.ts';
import { AppError } from '../../../../platform/errors/index.ts';
import { checksAsOf, type Xs2aStep } from '../security/xs2a-context.ts';
import { Xs2aErrors } from '../xs2a-errors.ts';

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
  const accountOf = (request: FastifyRequest): string => {
    if (!request.xs2aAccountId) throw new Error('no account on the request: checkAccountInConsent must run first');
    return request.xs2aAccountId;
  };
  /** Balances, mapped, only where asked and the consent covers balances of the account. */
  async function balancesIfAsked<B>(request: FastifyRequest<{ Querystring: WithBalanceQuery }>, consent: Consent, accountIds: readonly string[], map: (balances: Balances) => B): Promise<Map<string, B>> {
    if (request.query.withBalance !== 'true' || !grantsAccess(accessScopeOf(consent), 'balances')) return new Map();
    const readable = await reads.readableAccounts(consent, 'balances', accountIds, checksAsOf(request));
    return new Map((await reads.balances(consent, readable, checksAsOf(request))).map((b) => [b.accountId, map(b)]));
  }
  /** The request's account, read with `balancesFor` (read at the same time); RESOURCE_UNKNOWN when the bank no longer has it. */
  async function requestedAccount<B>(request: FastifyRequest, consent: Consent, balancesFor: (accountIds: readonly string[]) => Promise<B>): Promise<{ account: ExposedAccount; balances: B }> {
    const accountId = accountOf(request);
    const [[account], balances] = await Promise.all([reads.accounts(consent, [accountId], checksAsOf(request)), balancesFor([accountId])]);
    if (!account) throw new AppError(Xs2aErrors.RESOURCE_UNKNOWN);
    return { account, balances };
  }
  return {
    pipeline: (resource: AisResource, perAccount: boolean): Xs2aStep[] => [
      ...options.security,
      consentValid,
      checkConsentCovers(resource),
      ...(perAccount ? [checkAccountInConsent(reads, resource, kind)] : []),
    ],
    counted: (resource: AisResource) => countUnattendedRead(consents, resource, now),
    accountOf,
    links: (consent: Consent) => ({ balances: grantsAccess(accessScopeOf(consent), 'balances'), transactions: grantsAccess(accessScopeOf(consent), 'transactions') }),
    balancesIfAsked,
    /** The request's account with its balances, mapped, where asked (`withBalance`). */
    async accountWithBalances<B>(request: FastifyRequest<{ Querystring: WithBalanceQuery }>, consent: Consent, map: (balances: Balances) => B): Promise<{ account: ExposedAccount; balances: B | undefined }> {
      const { account, balances } = await requestedAccount(request, consent, (ids) => balancesIfAsked(request, consent, ids, map));
      return { account, balances: balances.get(account.id) };
    },
    /** The request's account, its transactions in `range` and its balances, mapped, where asked (`withBalance`). */
    async accountWithTransactions<B>(request: FastifyRequest<{ Querystring: WithBalanceQuery }>, consent: Consent, range: TransactionRange, map: (balances: Balances) => B): Promise<{ account: ExposedAccount; listing: TransactionListing; balances: B | undefined }> {
      const listed = (ids: readonly string[]) => Promise.all([reads.transactions(consent, ids, { ...range, asOf: checksAsOf(request) }), balancesIfAsked(request, consent, ids, map)]);
      const { account, balances: [listing, balances] } = await requestedAccount(request, consent, listed);
      return { account, listing, balances: balances.get(account.id) };
    },
    /** The request's account and every balance of it (the balances endpoint). */
    accountAndBalances: (request: FastifyRequest, consent: Consent) => requestedAccount(request, consent, (ids) => reads.balances(consent, ids, checksAsOf(request))),
  };
}
