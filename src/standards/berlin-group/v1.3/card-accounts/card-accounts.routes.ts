import type { FastifyInstance } from 'fastify';
import { accountReadSteps, withBalances, type AccountReadsRoutesOptions, type WithBalanceQuery } from '../accounts/xs2a-account-read-steps.ts';
import { pageLinksOf, transactionRangeOf, transactionsQuerySchema, withBalanceQuery, type TransactionsQuery } from '../accounts/xs2a-transaction-query.ts';
import { checksAsOf, consentOf } from '../security/xs2a-context.ts';
import { cardAccountDetailsOf, cardAccountReferenceOf, xs2aCardBalancesOf, xs2aCardTransactionOf } from './xs2a-card-account-mapping.ts';

export const CARD_ACCOUNTS_PATH = '/berlin-group/v1/card-accounts';

/** What the card account reads are given. */
export type CardAccountsRoutesOptions = AccountReadsRoutesOptions;

const transactionsQuery = transactionsQuerySchema(['booked', 'pending', 'both']);

/**
 * NextGenPSD2 card account reads (§6.6): the consent's card accounts, one of them, its balances and
 * its card transactions, behind the same steps as the account reads — the TPP's QWAC, a valid
 * consent of its own covering the data and the card account, and without the PSU the consent's
 * daily frequency, counted per card account and resource as for payment accounts. A payment
 * account's id is no card account here, as a card account's is none on `/accounts`.
 */
export async function cardAccountsRoutes(app: FastifyInstance, options: CardAccountsRoutesOptions): Promise<void> {
  const { reads, publicUrl } = options;
  const base = new URL(CARD_ACCOUNTS_PATH, publicUrl).toString();
  const { pipeline, counted, links, balancesIfAsked, accountWithBalances, accountWithTransactions, accountAndBalances } = accountReadSteps(options, 'card');

  // Without the PSU, the list counts as one read of the consent's account list (with /accounts).
  app.get<{ Querystring: WithBalanceQuery }>(CARD_ACCOUNTS_PATH, { onRequest: pipeline('accounts', false), preHandler: counted('accounts'), schema: { querystring: withBalanceQuery } }, async (request) => {
    const consent = consentOf(request);
    const readable = await reads.readableAccounts(consent, 'accounts', consent.accountIds, checksAsOf(request));
    const accountIds = await reads.ofKind('card', readable, checksAsOf(request));
    const [accounts, balances] = await Promise.all([reads.accounts(consent, accountIds, checksAsOf(request)), balancesIfAsked(request, consent, accountIds, xs2aCardBalancesOf)]);
    return { cardAccounts: accounts.map((account) => withBalances(cardAccountDetailsOf(account, links(consent), base), balances.get(account.id))) };
  });

  app.get<{ Params: { accountId: string }; Querystring: WithBalanceQuery }>(`${CARD_ACCOUNTS_PATH}/:accountId`, { onRequest: pipeline('accounts', true), preHandler: counted('accounts'), schema: { querystring: withBalanceQuery } }, async (request) => {
    const consent = consentOf(request);
    const { account, balances } = await accountWithBalances(request, consent, xs2aCardBalancesOf);
    return { cardAccount: withBalances(cardAccountDetailsOf(account, links(consent), base), balances) };
  });

  app.get<{ Params: { accountId: string } }>(`${CARD_ACCOUNTS_PATH}/:accountId/balances`, { onRequest: pipeline('balances', true), preHandler: counted('balances') }, async (request) => {
    const { account, balances } = await accountAndBalances(request, consentOf(request));
    return { cardAccount: cardAccountReferenceOf(account), debitAccounting: false, balances: balances.flatMap(xs2aCardBalancesOf) };
  });

  app.get<{ Params: { accountId: string }; Querystring: TransactionsQuery }>(
    `${CARD_ACCOUNTS_PATH}/:accountId/transactions`,
    { onRequest: pipeline('transactions', true), preHandler: counted('transactions'), schema: { querystring: transactionsQuery } },
    async (request) => {
      const range = transactionRangeOf(request.query);
      const consent = consentOf(request);
      const { account, listing, balances } = await accountWithTransactions(request, consent, range, xs2aCardBalancesOf);
      const { bookingStatus } = request.query;
      return {
        cardAccount: cardAccountReferenceOf(account),
        debitAccounting: false,
        cardTransactions: {
          ...(bookingStatus !== 'pending' ? { booked: listing.items.filter((t) => t.status === 'Booked').map(xs2aCardTransactionOf) } : {}),
          ...(bookingStatus !== 'booked' ? { pending: listing.items.filter((t) => t.status === 'Pending').map(xs2aCardTransactionOf) } : {}),
          _links: { cardAccount: { href: `${base}/${encodeURIComponent(account.accountRef)}` }, ...pageLinksOf(request, listing.page, publicUrl) },
        },
        ...(balances ? { balances } : {}),
      };
    },
  );
}
