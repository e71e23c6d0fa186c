import type { FastifyInstance } from 'fastify';
import { AccountErrors, type Freshness, type TransactionListing } from '../../../../modules/accounts/index.ts';
import { accessScopeOf, accountKindsOf, type Consent } from '../../../../modules/consents/index.ts';
import { AppError } from '../../../../platform/errors/index.ts';
import { checksAsOf, consentOf } from '../security/xs2a-context.ts';
import { accountDetailsOf, accountReferenceOf, xs2aBalancesOf, xs2aListedTransactionOf, xs2aTransactionOf } from './xs2a-account-mapping.ts';
import { accountReadSteps, withBalances, type AccountReadsRoutesOptions, type WithBalanceQuery } from './xs2a-account-read-steps.ts';
import { pageLinksOf, transactionRangeOf, transactionsQuerySchema, withBalanceQuery, type TransactionsQuery } from './xs2a-transaction-query.ts';

export const ACCOUNTS_PATH = '/berlin-group/v1/accounts';

/** What the account reads are given. */
export type AccountsRoutesOptions = AccountReadsRoutesOptions;

/**
 * The XS2A entries of a page of transactions, split by booking status. The reads share one page's
 * list between the requests that read it (until a posting changes it), so the mapping is shared
 * too, and like the list never mutated.
 */
type ListedTransaction = ReturnType<typeof xs2aListedTransactionOf>;
const mappedPages = new WeakMap<TransactionListing['items'], { booked: ListedTransaction[]; pending: ListedTransaction[] }>();
function mappedTransactions(items: TransactionListing['items'], base: string) {
  let mapped = mappedPages.get(items);
  if (!mapped) {
    const listed = (t: TransactionListing['items'][number]) => xs2aListedTransactionOf(t, base);
    mapped = { booked: items.filter((t) => t.status === 'Booked').map(listed), pending: items.filter((t) => t.status === 'Pending').map(listed) };
    mappedPages.set(items, mapped);
  }
  return mapped;
}

const transactionsQuery = transactionsQuerySchema(['booked', 'pending', 'both', 'information']);

/**
 * NextGenPSD2 AIS reads (§6.4): the account list, one account, its balances, its transactions and
 * one transaction's details, each behind the TPP's QWAC, a valid consent of its own naming what is
 * read, and — without the PSU — the consent's daily frequency. Reads go through the same accounts
 * module as the UK API.
 */
export async function accountsRoutes(app: FastifyInstance, options: AccountsRoutesOptions): Promise<void> {
  const { reads, publicUrl } = options;
  const base = new URL(ACCOUNTS_PATH, publicUrl).toString();
  const { pipeline, counted, accountOf, links, balancesIfAsked, accountWithBalances, accountWithTransactions, accountAndBalances } = accountReadSteps(options, 'payment');
  // A consent that covers card accounts too lists its payment accounts here, its cards on /card-accounts.
  const paymentAccountsOf = async (consent: Consent, accountIds: readonly string[], asOf: Freshness) =>
    accountKindsOf(accessScopeOf(consent)).includes('card') ? reads.ofKind('payment', accountIds, asOf) : accountIds;
  // Without the PSU, the list counts as one read of the consent's account list.
  app.get<{ Querystring: WithBalanceQuery }>(ACCOUNTS_PATH, { onRequest: pipeline('accounts', false), preHandler: counted('accounts'), schema: { querystring: withBalanceQuery } }, async (request) => {
    const consent = consentOf(request);
    const accountIds = await paymentAccountsOf(consent, await reads.readableAccounts(consent, 'accounts', consent.accountIds, checksAsOf(request)), checksAsOf(request));
    const [accounts, balances] = await Promise.all([reads.accounts(consent, accountIds, checksAsOf(request)), balancesIfAsked(request, consent, accountIds, xs2aBalancesOf)]);
    return { accounts: accounts.map((account) => withBalances(accountDetailsOf(account, links(consent), base), balances.get(account.id))) };
  });

  app.get<{ Params: { accountId: string }; Querystring: WithBalanceQuery }>(`${ACCOUNTS_PATH}/:accountId`, { onRequest: pipeline('accounts', true), preHandler: counted('accounts'), schema: { querystring: withBalanceQuery } }, async (request) => {
    const consent = consentOf(request);
    const { account, balances } = await accountWithBalances(request, consent, xs2aBalancesOf);
    return { account: withBalances(accountDetailsOf(account, links(consent), base), balances) };
  });

  app.get<{ Params: { accountId: string } }>(`${ACCOUNTS_PATH}/:accountId/balances`, { onRequest: pipeline('balances', true), preHandler: counted('balances') }, async (request) => {
    const { account, balances } = await accountAndBalances(request, consentOf(request));
    return { account: accountReferenceOf(account), balances: balances.flatMap(xs2aBalancesOf) };
  });

  app.get<{ Params: { accountId: string }; Querystring: TransactionsQuery }>(
    `${ACCOUNTS_PATH}/:accountId/transactions`,
    { onRequest: pipeline('transactions', true), preHandler: counted('transactions'), schema: { querystring: transactionsQuery } },
    async (request) => {
      const range = transactionRangeOf(request.query);
      const consent = consentOf(request);
      const { account, listing, balances } = await accountWithTransactions(request, consent, range, xs2aBalancesOf);
      const entries = mappedTransactions(listing.items, base);
      const { bookingStatus } = request.query;
      return {
        account: accountReferenceOf(account),
        transactions: {
          ...(bookingStatus !== 'pending' ? { booked: entries.booked } : {}),
          ...(bookingStatus !== 'booked' ? { pending: entries.pending } : {}),
          _links: { account: { href: `${base}/${encodeURIComponent(account.accountRef)}` }, ...pageLinksOf(request, listing.page, publicUrl) },
        },
        ...(balances ? { balances } : {}),
      };
    },
  );

  // Transaction details: the same checks and count as the list (a read of the account's
  // transactions), then one transaction the list could show. An id unknown on this account —
  // another account's, another PSU's — outside the consent's scope, or of a rejected transaction
  // (never listed) is 403 RESOURCE_UNKNOWN, as an unknown paymentId in the path is.
  app.get<{ Params: { accountId: string; transactionId: string } }>(`${ACCOUNTS_PATH}/:accountId/transactions/:transactionId`, { onRequest: pipeline('transactions', true), preHandler: counted('transactions') }, async (request) => {
    const transaction = await reads.transaction(consentOf(request), accountOf(request), request.params.transactionId, checksAsOf(request));
    if (transaction.status === 'Rejected') throw new AppError(AccountErrors.TRANSACTION_NOT_FOUND);
    // v1.3.12 names the member `transactionsDetails` in this response (OK_200_TransactionDetails), though its `transactionDetailsBody` schema says `transactionDetails`.
    return { transactionsDetails: xs2aTransactionOf(transaction) };
  });
}

