import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../../support/backends.ts';
import { startTestPortico, type TestPortico } from '../../support/start-test-portico.ts';
import { assertMatchesSchema, bgResponseSchema } from '../../support/openapi.ts';
import { leastUsedPsu, psuCompletesSca, sandboxPsus, untilOneTimeCodeUnused, XS2A, XS2A_NOK_REDIRECT_URI, XS2A_REDIRECT_URI, Xs2aClient, type SandboxPsu } from '../../support/xs2a-client.ts';

const cardList = bgResponseSchema('/v1/card-accounts', 'get', 200);
const cardRead = bgResponseSchema('/v1/card-accounts/{account-id}', 'get', 200);
const cardBalances = bgResponseSchema('/v1/card-accounts/{account-id}/balances', 'get', 200);
const cardTransactions = bgResponseSchema('/v1/card-accounts/{account-id}/transactions', 'get', 200);
const accountList = bgResponseSchema('/v1/accounts', 'get', 200);

interface Links { [name: string]: { href: string } }
interface CardPsu { psu: SandboxPsu; iban: string; cardAccountId: string; maskedPan: string }
interface CardTransaction {
  cardTransactionId: string;
  transactionDate?: string;
  bookingDate?: string;
  transactionAmount: { currency: string; amount: string };
  originalAmount?: { currency: string; amount: string };
  currencyExchange?: Array<{ sourceCurrency: string; exchangeRate: string; unitCurrency: string; targetCurrency: string }>;
  cardAcceptorId?: string;
  maskedPAN?: string;
}
interface CardTransactionsBody { cardTransactions: { booked?: CardTransaction[]; pending?: CardTransaction[]; _links: Links }; balances?: unknown[] }

const codeOf = (response: { json<T>(): T }) => response.json<{ tppMessages: Array<{ code: string }> }>().tppMessages[0]!.code;
const byCard = (maskedPan: string) => [{ maskedPan }];

for (const dialect of DIALECTS) {
  describe(`Berlin Group NextGenPSD2 card accounts (${dialect})`, () => {
    let app: TestPortico;
    let tpp: Xs2aClient;
    let other: Xs2aClient;
    let cardPsus: CardPsu[];

    before(async () => {
      app = await startTestPortico(dialect, {}, { seedSandbox: true });
      tpp = await Xs2aClient.onboard(app, 'Kartenblick GmbH');
      other = await Xs2aClient.onboard(app, 'Fremdleser GmbH');
      const psus = (await sandboxPsus(app)) as Array<SandboxPsu & { cardAccounts?: Array<{ accountId: string; maskedPan: string }> }>;
      cardPsus = psus.flatMap((psu) => {
        const card = psu.cardAccounts?.[0];
        const iban = psu.accounts.find((a) => a.iban && a.currency === 'EUR')?.iban;
        return card && iban ? [{ psu, iban, cardAccountId: card.accountId, maskedPan: card.maskedPan }] : [];
      });
      assert.equal(cardPsus.length, 4, 'every EU PSU holds a card account');
    });
    after(async () => {
      await app?.close();
    });

    /** The PSU goes through the redirect SCA; the sandbox has four EU PSUs, so this waits for a one-time code of theirs not used yet. */
    async function sca(href: string, psu: SandboxPsu, options: { accountIds?: string[] } = {}): Promise<string> {
      await untilOneTimeCodeUnused(psu.totpSecret);
      return psuCompletesSca(app, href, psu, options);
    }

    /** A consent of `owner`, authorised by the PSU through the redirect SCA (ticking `accountIds` when given). */
    async function authorised(owner: Xs2aClient, by: CardPsu, access: Record<string, unknown>, accountIds?: string[]): Promise<string> {
      const created = await owner.createConsent({ access, recurringIndicator: true, validUntil: '2099-12-31', frequencyPerDay: 2, combinedServiceIndicator: false });
      assert.equal(created.status, 201, created.text);
      const { consentId, _links } = created.json<{ consentId: string; _links: Links }>();
      assert.equal(await sca(_links['scaRedirect']!.href, by.psu, accountIds ? { accountIds } : {}), XS2A_REDIRECT_URI);
      return consentId;
    }
    const read = (owner: Xs2aClient, path: string, consentId: string, psuPresent = true) => owner.request(`${XS2A}${path}`, { headers: { 'consent-id': consentId }, psuPresent });
    const cardIdOf = async (consentId: string) => (await read(tpp, '/card-accounts', consentId)).json<{ cardAccounts: Array<{ resourceId: string }> }>().cardAccounts[0]!.resourceId;

    it('the journey: a consent naming the card by maskedPan → redirect SCA → card accounts, balances and transactions, each as the official file defines it', async () => {
      const by = leastUsedPsu(cardPsus);
      const consentId = await authorised(tpp, by, { accounts: byCard(by.maskedPan), balances: byCard(by.maskedPan), transactions: byCard(by.maskedPan) });

      const list = await read(tpp, '/card-accounts?withBalance=true', consentId);
      assert.equal(list.status, 200, list.text);
      assertMatchesSchema(list.json(), cardList);
      const [card] = list.json<{ cardAccounts: Array<{ resourceId: string; maskedPan: string; currency: string; creditLimit: { amount: string }; balances?: unknown[]; _links: Links }> }>().cardAccounts;
      assert.deepEqual([card!.maskedPan, card!.currency], [by.maskedPan, 'EUR']);
      assert.match(card!.creditLimit.amount, /^\d+\.00$/);
      assert.ok(card!.balances && card!.balances.length === 3);
      assert.equal(card!._links['transactions']!.href, `${app.base}${XS2A}/card-accounts/${card!.resourceId}/transactions`);
      assert.deepEqual((await read(tpp, '/accounts', consentId)).json(), { accounts: [] }, 'no payment account under a consent for the card alone');

      const one = await read(tpp, `/card-accounts/${card!.resourceId}`, consentId);
      assert.equal(one.status, 200, one.text);
      assertMatchesSchema(one.json(), cardRead);
      assert.equal(one.json<{ cardAccount: { maskedPan: string } }>().cardAccount.maskedPan, by.maskedPan);

      const balances = await read(tpp, `/card-accounts/${card!.resourceId}/balances`, consentId);
      assert.equal(balances.status, 200, balances.text);
      assertMatchesSchema(balances.json(), cardBalances);
      const balanceList = balances.json<{ cardAccount: unknown; balances: Array<{ balanceType: string; creditLimitIncluded?: boolean; balanceAmount: { amount: string } }> }>();
      assert.deepEqual(balanceList.cardAccount, { maskedPan: by.maskedPan, currency: 'EUR' });
      assert.deepEqual(balanceList.balances.map((b) => [b.balanceType, b.creditLimitIncluded]), [['closingBooked', undefined], ['interimAvailable', true], ['expected', undefined]]);
      assert.ok(Number(balanceList.balances[1]!.balanceAmount.amount) >= 0, 'the credit left, the limit included');

      // Every page, by the links, as a TPP follows them.
      const booked: CardTransaction[] = [];
      const pending: CardTransaction[] = [];
      let path: string | undefined = `/card-accounts/${card!.resourceId}/transactions?bookingStatus=both&dateFrom=2000-01-01&withBalance=true`;
      while (path) {
        const page = await read(tpp, path, consentId);
        assert.equal(page.status, 200, page.text);
        assertMatchesSchema(page.json(), cardTransactions);
        const body = page.json<CardTransactionsBody>();
        assert.ok(body.balances, 'withBalance');
        booked.push(...(body.cardTransactions.booked ?? []));
        pending.push(...(body.cardTransactions.pending ?? []));
        const next = body.cardTransactions._links['next']?.href;
        path = next ? next.slice(`${app.base}${XS2A}`.length) : undefined;
      }
      const listed = (await app.portico.core.listTransactions([by.cardAccountId], { limit: 1000 }))!.items;
      assert.equal(booked.length + pending.length, listed.length, 'every card transaction once, across the pages');
      assert.equal(new Set([...booked, ...pending].map((t) => t.cardTransactionId)).size, listed.length);
      const purchases = booked.filter((t) => t.transactionAmount.amount.startsWith('-'));
      assert.ok(purchases.length > 0);
      for (const t of purchases) {
        assert.equal(t.maskedPAN, by.maskedPan);
        assert.match(t.cardAcceptorId!, /^[0-9A-F]{15}$/);
        assert.ok(t.transactionDate! <= t.bookingDate!, 'used before it was booked');
      }
      for (const t of pending) assert.equal(t.bookingDate, undefined, 'an authorisation is not booked');
      const abroad = listed.find((t) => t.originalAmount && t.status === 'Booked');
      assert.ok(abroad, 'the card was used abroad');
      const shown = booked.find((t) => t.cardTransactionId === abroad.id.replace(/-/g, ''))!;
      assert.deepEqual(shown.currencyExchange?.map((x) => [x.sourceCurrency, x.unitCurrency, x.targetCurrency, x.exchangeRate]), [[abroad.originalAmount!.currency, abroad.originalAmount!.currency, 'EUR', abroad.exchangeRate]]);
      assert.equal(shown.originalAmount?.currency, abroad.originalAmount!.currency);
      const onlyPending = await read(tpp, `/card-accounts/${card!.resourceId}/transactions?bookingStatus=pending&dateFrom=2000-01-01`, consentId);
      assert.equal(onlyPending.json<CardTransactionsBody>().cardTransactions.booked, undefined);
      const information = await read(tpp, `/card-accounts/${card!.resourceId}/transactions?bookingStatus=information&dateFrom=2000-01-01`, consentId);
      assert.deepEqual([information.status, codeOf(information)], [400, 'FORMAT_ERROR'], 'cards have no standing orders to ask for');
    });

    it('allPsd2 covers the PSU\'s card accounts too: /accounts lists the payment account, /card-accounts the card; restrictedTo CACC leaves the card out', async () => {
      const by = leastUsedPsu(cardPsus);
      const all = await authorised(tpp, by, { allPsd2: 'allAccounts' });
      const accounts = await read(tpp, '/accounts', all);
      assertMatchesSchema(accounts.json(), accountList);
      assert.deepEqual(accounts.json<{ accounts: Array<{ iban: string }> }>().accounts.map((a) => a.iban), [by.iban]);
      assert.deepEqual((await read(tpp, '/card-accounts', all)).json<{ cardAccounts: Array<{ maskedPan: string }> }>().cardAccounts.map((c) => c.maskedPan), [by.maskedPan]);

      const paymentOnly = await authorised(tpp, leastUsedPsu(cardPsus.filter((p) => p !== by)), { allPsd2: 'allAccounts', restrictedTo: ['CACC'] });
      assert.deepEqual((await read(tpp, '/card-accounts', paymentOnly)).json(), { cardAccounts: [] });
      assert.equal((await read(tpp, '/accounts', paymentOnly)).json<{ accounts: unknown[] }>().accounts.length, 1);
    });

    it('a bank-offered consent: the PSU may choose the card on the bank\'s page, and chooses it alone', async () => {
      const by = leastUsedPsu(cardPsus);
      const consentId = await authorised(tpp, by, { accounts: [], balances: [], transactions: [] }, [by.cardAccountId]);
      assert.deepEqual((await read(tpp, '/accounts', consentId)).json(), { accounts: [] });
      const cards = (await read(tpp, '/card-accounts', consentId)).json<{ cardAccounts: Array<{ maskedPan: string }> }>().cardAccounts;
      assert.deepEqual(cards.map((c) => c.maskedPan), [by.maskedPan]);
    });

    it("attack: a card account's id under another TPP's consent, under a consent without the card, and on /accounts — each CONSENT_INVALID, nothing read", async () => {
      const mine = leastUsedPsu(cardPsus);
      const theirs = leastUsedPsu(cardPsus.filter((p) => p !== mine));
      const withCard = await authorised(tpp, mine, { allPsd2: 'allAccounts' });
      const cardId = await cardIdOf(withCard);
      const paymentId = (await read(tpp, '/accounts', withCard)).json<{ accounts: Array<{ resourceId: string }> }>().accounts[0]!.resourceId;
      const refusals: Array<[string, Xs2aClient, string, number, string]> = [];
      // Another TPP: its own valid consent (another PSU's account), then the first TPP's consent id.
      const othersConsent = await authorised(other, theirs, { accounts: [{ iban: theirs.iban }] });
      for (const path of [`/card-accounts/${cardId}`, `/card-accounts/${cardId}/balances`, `/card-accounts/${cardId}/transactions?bookingStatus=both&dateFrom=2000-01-01`]) {
        refusals.push([path, other, othersConsent, 401, 'CONSENT_INVALID'], [path, other, withCard, 400, 'CONSENT_UNKNOWN']);
      }
      // The same TPP, a consent naming the PSU's IBAN only: the card is not in it.
      const withoutCard = await authorised(tpp, mine, { accounts: [{ iban: mine.iban }], balances: [{ iban: mine.iban }], transactions: [{ iban: mine.iban }] });
      refusals.push([`/card-accounts/${cardId}/transactions?bookingStatus=both&dateFrom=2000-01-01`, tpp, withoutCard, 401, 'CONSENT_INVALID']);
      // A card id on /accounts, a payment account's id on /card-accounts, under the consent that covers both.
      refusals.push([`/accounts/${cardId}`, tpp, withCard, 401, 'CONSENT_INVALID'], [`/accounts/${cardId}/transactions?bookingStatus=both&dateFrom=2000-01-01`, tpp, withCard, 401, 'CONSENT_INVALID']);
      refusals.push([`/card-accounts/${paymentId}`, tpp, withCard, 401, 'CONSENT_INVALID'], [`/card-accounts/${paymentId}/balances`, tpp, withCard, 401, 'CONSENT_INVALID']);
      for (const [path, client, consentId, status, code] of refusals) {
        const response = await read(client, path, consentId);
        assert.deepEqual([response.status, codeOf(response)], [status, code], `${path}: ${response.text}`);
        assert.doesNotMatch(response.text, new RegExp(mine.maskedPan.replace(/\*/g, '\\*')), 'no card data in the refusal');
      }
      // The consent without the card lists none.
      assert.deepEqual((await read(tpp, '/card-accounts', withoutCard)).json(), { cardAccounts: [] });
    });

    it("attack: a consent naming another PSU's card (by pan or maskedPan) cannot be authorised by this PSU; an unsupported reference is refused", async () => {
      const by = leastUsedPsu(cardPsus);
      const target = cardPsus.find((p) => p !== by)!;
      const created = await tpp.createConsent({ access: { accounts: byCard(target.maskedPan) }, recurringIndicator: true, validUntil: '2099-12-31', frequencyPerDay: 2, combinedServiceIndicator: false });
      assert.equal(created.status, 201, created.text);
      const { _links } = created.json<{ _links: Links }>();
      assert.equal(await sca(_links['scaRedirect']!.href, by.psu), XS2A_NOK_REDIRECT_URI, 'no eligible account: the SCA fails');
      const pan = target.maskedPan.replace(/\*/g, '7');
      const byPan = await tpp.createConsent({ access: { accounts: [{ pan }] }, recurringIndicator: true, validUntil: '2099-12-31', frequencyPerDay: 2, combinedServiceIndicator: false });
      assert.equal(byPan.status, 201, byPan.text);
      assert.equal(await sca(byPan.json<{ _links: Links }>()._links['scaRedirect']!.href, by.psu), XS2A_NOK_REDIRECT_URI, 'a full number fitting the other card: not this PSU\'s');
      const bban = await tpp.createConsent({ access: { accounts: [{ bban: '370400440532013000' }] }, recurringIndicator: true, validUntil: '2099-12-31', frequencyPerDay: 2, combinedServiceIndicator: false });
      assert.deepEqual([bban.status, codeOf(bban)], [400, 'PARAMETER_NOT_SUPPORTED']);
      const restricted = await tpp.createConsent({ access: { accounts: byCard(target.maskedPan), restrictedTo: ['CARD'] }, recurringIndicator: true, validUntil: '2099-12-31', frequencyPerDay: 2, combinedServiceIndicator: false });
      assert.deepEqual([restricted.status, codeOf(restricted)], [400, 'PARAMETER_NOT_CONSISTENT'], 'restrictedTo only with a global value or empty lists');
    });

    it('without the PSU, card reads count against frequencyPerDay per card account and resource: 429 ACCESS_EXCEEDED on the third', async () => {
      const by = leastUsedPsu(cardPsus);
      const consentId = await authorised(tpp, by, { balances: byCard(by.maskedPan) });
      const cardId = await cardIdOf(consentId);
      const path = `/card-accounts/${cardId}/balances`;
      assert.equal((await read(tpp, path, consentId, false)).status, 200);
      assert.equal((await read(tpp, path, consentId, false)).status, 200);
      const third = await read(tpp, path, consentId, false);
      assert.deepEqual([third.status, codeOf(third)], [429, 'ACCESS_EXCEEDED']);
      assert.equal((await read(tpp, path, consentId, true)).status, 200, 'with the PSU taking part, not counted');
      const transactions = await read(tpp, `/card-accounts/${cardId}/transactions?bookingStatus=booked&dateFrom=2000-01-01`, consentId);
      assert.deepEqual([transactions.status, codeOf(transactions)], [401, 'CONSENT_INVALID'], 'the consent grants balances, not transactions');
    });
  });
}
