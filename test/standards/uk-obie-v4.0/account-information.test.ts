import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { consentsOf } from '../../support/consents-module.ts';
import { OB_PERMISSIONS } from '../../../src/standards/uk-obie/v4.0/_wire/ob-access-scope.ts';
import { internalAccountId, LedgerCoreBanking, postEntry } from '../../../src/core/adapters/ledger/index.ts';
import { DIALECTS } from '../../support/backends.ts';
import { startTestPortico, type TestPortico } from '../../support/start-test-portico.ts';
import { TppClient } from '../../support/tpp-client.ts';
import { assertObResponse } from '../../support/openapi.ts';
import { statement } from '../../support/ledger-fixtures.ts';
import { waitFor } from '../../support/wait-for.ts';
import type { HttpsResponse } from '../../support/https-client.ts';
import { AISP, aisGet, grantAccountAccess, issuePsuToken, sandboxPsu, stageConsent, type SandboxPsuIdentity } from '../../support/ais-access.ts';

const ALL: string[] = [...OB_PERMISSIONS];
const TRANSACTIONS = ['ReadTransactionsBasic', 'ReadTransactionsDetail', 'ReadTransactionsCredits', 'ReadTransactionsDebits'];
const STATEMENTS = ['ReadStatementsBasic', 'ReadStatementsDetail'];

/**
 * Every AIS read of the v4.0 file, with a minimal permission set that grants it and the
 * permission sets whose removal must make it 403 (OB v4.0 AIS profile, "Permissions").
 */
const ENDPOINTS: Array<{ path: string; needs: string[]; without: string[][] }> = [
  { path: 'accounts', needs: ['ReadAccountsBasic'], without: [['ReadAccountsBasic', 'ReadAccountsDetail']] },
  { path: 'accounts/{AccountId}', needs: ['ReadAccountsDetail'], without: [['ReadAccountsBasic', 'ReadAccountsDetail']] },
  { path: 'accounts/{AccountId}/balances', needs: ['ReadBalances'], without: [['ReadBalances']] },
  { path: 'balances', needs: ['ReadBalances'], without: [['ReadBalances']] },
  { path: 'accounts/{AccountId}/beneficiaries', needs: ['ReadBeneficiariesBasic'], without: [['ReadBeneficiariesBasic', 'ReadBeneficiariesDetail']] },
  { path: 'beneficiaries', needs: ['ReadBeneficiariesDetail'], without: [['ReadBeneficiariesBasic', 'ReadBeneficiariesDetail']] },
  { path: 'accounts/{AccountId}/direct-debits', needs: ['ReadDirectDebits'], without: [['ReadDirectDebits']] },
  { path: 'direct-debits', needs: ['ReadDirectDebits'], without: [['ReadDirectDebits']] },
  { path: 'accounts/{AccountId}/offers', needs: ['ReadOffers'], without: [['ReadOffers']] },
  { path: 'offers', needs: ['ReadOffers'], without: [['ReadOffers']] },
  { path: 'accounts/{AccountId}/parties', needs: ['ReadParty'], without: [['ReadParty']] },
  { path: 'accounts/{AccountId}/party', needs: ['ReadParty'], without: [['ReadParty']] },
  { path: 'party', needs: ['ReadPartyPSU'], without: [['ReadPartyPSU']] },
  { path: 'accounts/{AccountId}/product', needs: ['ReadProducts'], without: [['ReadProducts']] },
  { path: 'products', needs: ['ReadProducts'], without: [['ReadProducts']] },
  { path: 'accounts/{AccountId}/scheduled-payments', needs: ['ReadScheduledPaymentsBasic'], without: [['ReadScheduledPaymentsBasic', 'ReadScheduledPaymentsDetail']] },
  { path: 'scheduled-payments', needs: ['ReadScheduledPaymentsDetail'], without: [['ReadScheduledPaymentsBasic', 'ReadScheduledPaymentsDetail']] },
  { path: 'accounts/{AccountId}/standing-orders', needs: ['ReadStandingOrdersBasic'], without: [['ReadStandingOrdersBasic', 'ReadStandingOrdersDetail']] },
  { path: 'standing-orders', needs: ['ReadStandingOrdersDetail'], without: [['ReadStandingOrdersBasic', 'ReadStandingOrdersDetail']] },
  { path: 'accounts/{AccountId}/statements', needs: ['ReadStatementsBasic'], without: [STATEMENTS] },
  { path: 'statements', needs: ['ReadStatementsDetail'], without: [STATEMENTS] },
  { path: 'accounts/{AccountId}/statements/{StatementId}', needs: ['ReadStatementsBasic'], without: [STATEMENTS] },
  { path: 'accounts/{AccountId}/statements/{StatementId}/file', needs: ['ReadStatementsDetail'], without: [['ReadStatementsDetail']] },
  {
    path: 'accounts/{AccountId}/statements/{StatementId}/transactions',
    needs: ['ReadStatementsBasic', 'ReadTransactionsBasic', 'ReadTransactionsDebits'],
    without: [STATEMENTS, TRANSACTIONS],
  },
  { path: 'accounts/{AccountId}/transactions', needs: ['ReadTransactionsBasic', 'ReadTransactionsCredits'], without: [TRANSACTIONS] },
  { path: 'transactions', needs: ['ReadTransactionsDetail', 'ReadTransactionsDebits'], without: [TRANSACTIONS] },
];

interface ObError {
  Errors: Array<{ ErrorCode: string }>;
}

for (const dialect of DIALECTS) {
  describe(`OB v4.0 account information (${dialect})`, () => {
    let app: TestPortico;
    let tppA: TppClient;
    let tppB: TppClient;
    let alice: SandboxPsuIdentity;
    let bob: SandboxPsuIdentity;
    let full: { consentId: string; token: string };
    let aliceAccount: string;
    let aliceStatement: string;

    /** A read as the TPP, its response validated against the official v4.0 operation. */
    const read = async (tpp: TppClient, token: string, pathname: string, headers: Record<string, string> = {}): Promise<HttpsResponse> => {
      const response = await aisGet(tpp, token, pathname, headers);
      assertObResponse('account-info', 'GET', pathname.startsWith('/') ? pathname : `${AISP}/${pathname}`, response);
      return response;
    };
    const expectError = (response: HttpsResponse, status: number, code: string) => {
      assert.equal(response.status, status, response.text);
      assert.equal(response.json<ObError>().Errors[0]?.ErrorCode, code, response.text);
      assert.doesNotMatch(response.text, /"Data"/);
    };
    const fill = (path: string, accountRef = aliceAccount, statementId = aliceStatement) =>
      path.replace('{AccountId}', accountRef).replace('{StatementId}', statementId);

    before(async () => {
      app = await startTestPortico(dialect, {}, { seedSandbox: true });
      tppA = await TppClient.onboard(app, 'Ledgerly Ltd');
      await tppA.register();
      tppB = await TppClient.onboard(app, 'Snoop Analytics Ltd');
      await tppB.register();
      alice = await sandboxPsu(app, 0);
      bob = await sandboxPsu(app, 1);
      full = await grantAccountAccess(app, tppA, alice, { permissions: ALL });
      const accounts = await read(tppA, full.token, 'accounts');
      assert.equal(accounts.status, 200, accounts.text);
      const listed = accounts.json<{ Data: { Account: Array<{ AccountId: string; Description: string }> } }>().Data.Account;
      assert.equal(listed.length, alice.accountIds.length);
      aliceAccount = listed[0]!.AccountId;
      const statements = await read(tppA, full.token, `accounts/${aliceAccount}/statements`);
      aliceStatement = statements.json<{ Data: { Statement: Array<{ StatementId: string }> } }>().Data.Statement[0]!.StatementId;
    });
    after(async () => {
      await app?.close();
    });

    it('answers every AIS read with the official v4.0 schema, per account and in bulk', async () => {
      for (const endpoint of ENDPOINTS) {
        const interactionId = randomUUID();
        const response = await read(tppA, full.token, fill(endpoint.path), { 'x-fapi-interaction-id': interactionId });
        assert.equal(response.status, 200, `${endpoint.path}: ${response.text}`);
        assert.equal(response.headers['x-fapi-interaction-id'], interactionId, endpoint.path);
      }
    });

    it('AccountIds are opaque, unguessable and stable across consents', async () => {
      const again = await grantAccountAccess(app, tppA, alice, { permissions: ['ReadAccountsBasic'] });
      const ids = (await read(tppA, again.token, 'accounts')).json<{ Data: { Account: Array<{ AccountId: string }> } }>().Data.Account.map((a) => a.AccountId);
      assert.ok(ids.includes(aliceAccount));
      for (const id of ids) {
        assert.match(id, /^[A-Za-z0-9_-]{27}$/);
        assert.ok(!alice.accountIds.includes(id), 'not the core account id');
      }
    });

    describe('permission × endpoint matrix', () => {
      for (const endpoint of ENDPOINTS) {
        it(`${endpoint.path}: 200 with ${endpoint.needs.join(' + ')}, 403 without`, async () => {
          const granted = await grantAccountAccess(app, tppA, alice, { permissions: endpoint.needs });
          const ok = await read(tppA, granted.token, fill(endpoint.path));
          assert.equal(ok.status, 200, ok.text);
          for (const removed of endpoint.without) {
            const lacking = await grantAccountAccess(app, tppA, alice, { permissions: ALL.filter((p) => !removed.includes(p)) });
            expectError(await read(tppA, lacking.token, fill(endpoint.path)), 403, 'U008');
          }
        });
      }
    });

    describe('data clusters', () => {
      it('accounts: Basic without identifications, Detail with sort code, number and holder', async () => {
        const basic = await grantAccountAccess(app, tppA, alice, { permissions: ['ReadAccountsBasic'] });
        const [b] = (await read(tppA, basic.token, `accounts/${aliceAccount}`)).json<{ Data: { Account: Array<Record<string, unknown>> } }>().Data.Account;
        assert.equal(b!['Account'], undefined);
        assert.equal(b!['Servicer'], undefined);
        const [d] = (await read(tppA, full.token, `accounts/${aliceAccount}`)).json<{ Data: { Account: Array<{ Account: Array<{ SchemeName: string; Identification: string }> }> } }>().Data.Account;
        assert.ok(d!.Account.some((a) => a.SchemeName === 'UK.OBIE.SortCodeAccountNumber' && /^\d{14}$/.test(a.Identification)));
      });

      it('transactions: Basic without narrative and counterparties; credits-only shows credits only', async () => {
        const basicCredits = await grantAccountAccess(app, tppA, alice, { permissions: ['ReadTransactionsBasic', 'ReadTransactionsCredits'] });
        const listed = (await read(tppA, basicCredits.token, `accounts/${aliceAccount}/transactions`)).json<{ Data: { Transaction: Array<Record<string, unknown>> } }>().Data.Transaction;
        assert.ok(listed.length > 0);
        for (const t of listed) {
          assert.equal(t['CreditDebitIndicator'], 'Credit');
          for (const field of ['TransactionInformation', 'Balance', 'MerchantDetails', 'CreditorAccount', 'DebtorAccount', 'CardInstrument']) assert.equal(t[field], undefined, field);
        }
        const detailDebits = await grantAccountAccess(app, tppA, alice, { permissions: ['ReadTransactionsDetail', 'ReadTransactionsDebits'] });
        const debits = (await read(tppA, detailDebits.token, `accounts/${aliceAccount}/transactions`)).json<{ Data: { Transaction: Array<Record<string, unknown>> } }>().Data.Transaction;
        assert.ok(debits.length > 0 && debits.every((t) => t['CreditDebitIndicator'] === 'Debit' && typeof t['TransactionInformation'] === 'string'));
      });

      it('statements: amounts only with ReadStatementsDetail', async () => {
        const basic = await grantAccountAccess(app, tppA, alice, { permissions: ['ReadStatementsBasic'] });
        const [b] = (await read(tppA, basic.token, fill('accounts/{AccountId}/statements/{StatementId}'))).json<{ Data: { Statement: Array<Record<string, unknown>> } }>().Data.Statement;
        assert.equal(b!['StatementAmount'], undefined);
        const [d] = (await read(tppA, full.token, fill('accounts/{AccountId}/statements/{StatementId}'))).json<{ Data: { Statement: Array<{ StatementAmount: unknown[] }> } }>().Data.Statement;
        assert.equal(d!.StatementAmount.length, 4);
      });
    });

    describe('transaction windows and filters', () => {
      it('the consent window bounds every read, whatever the query asks', async () => {
        const from = '2026-02-01T00:00:00Z';
        const to = '2026-02-28T23:59:59Z';
        const windowed = await grantAccountAccess(app, tppA, alice, { permissions: ['ReadTransactionsDetail', 'ReadTransactionsCredits', 'ReadTransactionsDebits'], transactionFromDateTime: from, transactionToDateTime: to });
        const wide = await read(tppA, windowed.token, `accounts/${aliceAccount}/transactions?fromBookingDateTime=2020-01-01&toBookingDateTime=2030-01-01`);
        const items = wide.json<{ Data: { Transaction: Array<{ BookingDateTime: string }> } }>().Data.Transaction;
        assert.ok(items.length > 0);
        for (const t of items) assert.ok(t.BookingDateTime >= '2026-02-01' && t.BookingDateTime <= to, t.BookingDateTime);
      });

      it('fromBookingDateTime/toBookingDateTime filter; a zone is ignored; a bad date is 400 U003', async () => {
        const response = await read(tppA, full.token, `accounts/${aliceAccount}/transactions?fromBookingDateTime=2026-03-01T00:00:00%2B05:00&toBookingDateTime=2026-03-10`);
        const items = response.json<{ Data: { Transaction: Array<{ BookingDateTime: string }> } }>().Data.Transaction;
        for (const t of items) assert.ok(t.BookingDateTime >= '2026-03-01T00:00:00' && t.BookingDateTime <= '2026-03-10T00:00:00.000Z', t.BookingDateTime);
        for (const bad of ['2026-02-30', 'yesterday', '2026-13-01T00:00:00']) {
          expectError(await read(tppA, full.token, `accounts/${aliceAccount}/transactions?fromBookingDateTime=${bad}`), 400, 'U003');
        }
        expectError(await read(tppA, full.token, `accounts/${aliceAccount}/transactions?fromBookingDateTime=2026-03-10&toBookingDateTime=2026-03-01`), 400, 'U003');
      });

      // OBIE functional conformance suite v1.9.1, ob_4.0_accounts_transactions_fca.json: each query is
      // sent as written and asserts OB3GLOAssertOn200 (and the x-fapi-interaction-id played back).
      const DATE_SCRIPTS: Array<[id: string, path: string, query: Record<string, string>]> = [
        ['OB-400-TRA-105110', 'accounts/{AccountId}/transactions', { fromBookingDateTime: '2020-04-23T15:47:00', toBookingDateTime: '2020-04-23T15:48:00' }],
        ['OB-400-TRA-105120', 'accounts/{AccountId}/transactions', { fromBookingDateTime: '2020-04-23T15:47:00.999', toBookingDateTime: '2020-04-23T15:48:00.999' }],
        ['OB-400-STA-105900', 'statements', { fromStatementDateTime: '2016-01-01T10:40:00' }],
        ['OB-400-STA-106000', 'statements', { fromStatementDateTime: '20160101T104012.345Z' }],
        ['OB-400-STA-106100', 'statements', { fromStatementDateTime: '2016-01-01T10:40:12.34567Z' }],
        ['OB-400-STA-106200', 'statements', { fromStatementDateTime: '2016-01-01T10:40:12.34567+01' }],
        ['OB-400-STA-106300', 'statements', { fromStatementDateTime: '20160101T104012.567+01' }],
      ];
      for (const [id, path, query] of DATE_SCRIPTS) {
        it(`OBIE conformance: ${id} GET /${path}?${Object.keys(query).join('&')} in ISO 8601 ${Object.values(query).join(' / ')} expects 200`, async () => {
          const interactionId = randomUUID();
          const response = await read(tppA, full.token, `${fill(path)}?${new URLSearchParams(query).toString()}`, { 'x-fapi-interaction-id': interactionId });
          assert.equal(response.status, 200, response.text);
          assert.equal(response.headers['x-fapi-interaction-id'], interactionId);
        });
      }

      it('basic-format and offset date filters select the same transactions as the extended form', async () => {
        const ids = async (query: string) =>
          (await read(tppA, full.token, `accounts/${aliceAccount}/transactions?${query}`)).json<{ Data: { Transaction: Array<{ TransactionId: string }> } }>().Data.Transaction.map((t) => t.TransactionId);
        const extended = await ids('fromBookingDateTime=2026-03-01T00:00:00&toBookingDateTime=2026-03-10T12:30:00');
        assert.ok(extended.length > 0);
        assert.deepEqual(await ids(`fromBookingDateTime=20260301T000000.000000Z&toBookingDateTime=${encodeURIComponent('20260310T1230+01')}`), extended);
        assert.deepEqual(await ids(`fromBookingDateTime=2026-03-01&toBookingDateTime=${encodeURIComponent('2026-03-10T12:30:00,0-0530')}`), extended);
      });

      it('a statement date filter that is not ISO 8601 is 400 U003 naming the parameter', async () => {
        for (const bad of ['2016-01-01T10:40:12+1', '20160101T10:40:12', '2016-02-30T00:00:00Z', '2016-01-01T25:00']) {
          const response = await read(tppA, full.token, `statements?fromStatementDateTime=${encodeURIComponent(bad)}`);
          expectError(response, 400, 'U003');
          assert.match(response.text, /fromStatementDateTime/);
        }
      });

      it('a forged page token is 400, not 500', async () => {
        for (const page of ['nonsense', Buffer.from('1.99999999').toString('base64url'), Buffer.from("1' OR 1=1").toString('base64url')]) {
          expectError(await read(tppA, full.token, `accounts/${aliceAccount}/transactions?page=${page}`), 400, 'U002');
        }
      });
    });

    describe('ownership attacks', () => {
      let bobAccess: { consentId: string; token: string };
      let bobAccount: string;
      before(async () => {
        bobAccess = await grantAccountAccess(app, tppB, bob, { permissions: ALL });
        bobAccount = (await read(tppB, bobAccess.token, 'accounts')).json<{ Data: { Account: Array<{ AccountId: string }> } }>().Data.Account[0]!.AccountId;
      });

      it("attack: TPP B with its own valid consent asks for TPP A's AccountId: 403, no data", async () => {
        for (const path of ENDPOINTS.filter((e) => e.path.includes('{AccountId}'))) {
          expectError(await read(tppB, bobAccess.token, fill(path.path, aliceAccount)), 403, 'U008');
        }
      });

      it("attack: an unknown AccountId answers exactly like another PSU's", async () => {
        const foreign = await read(tppB, bobAccess.token, `accounts/${aliceAccount}/balances`);
        const unknown = await read(tppB, bobAccess.token, `accounts/${'x'.repeat(27)}/balances`);
        assert.equal(unknown.status, foreign.status);
        assert.deepEqual(unknown.json<ObError>().Errors, foreign.json<ObError>().Errors);
      });

      it("attack: TPP B reads TPP A's consent id: 400 U011, nothing of it", async () => {
        const token = await tppB.clientCredentialsToken('accounts');
        const response = await tppB.mtls(`${AISP}/account-access-consents/${full.consentId}`, { headers: { authorization: `Bearer ${token}`, 'x-fapi-interaction-id': randomUUID() } });
        assertObResponse('account-info', 'GET', `${AISP}/account-access-consents/${full.consentId}`, response);
        expectError(response, 400, 'U011');
        assert.doesNotMatch(response.text, new RegExp(full.consentId));
      });

      it("attack: TPP B asks for TPP A's statement id under its own account: 404, no data", async () => {
        expectError(await read(tppB, bobAccess.token, `accounts/${bobAccount}/statements/${aliceStatement}`), 404, 'U011');
        expectError(await read(tppB, bobAccess.token, `accounts/${bobAccount}/statements/${aliceStatement}/transactions`), 404, 'U011');
        expectError(await read(tppB, bobAccess.token, `accounts/${bobAccount}/statements/${aliceStatement}/file`), 404, 'U011');
      });

      it("attack: TPP A's access token presented by TPP B (another certificate): 401", async () => {
        const response = await read(tppB, full.token, 'accounts');
        expectError(response, 401, 'U006');
      });

      it('attack: a token for another PSU than the one who authorised the consent: 403', async () => {
        const token = await issuePsuToken(app, tppA, bob.psuId, { forgeConsentId: full.consentId });
        expectError(await read(tppA, token, 'accounts'), 403, 'U008');
      });

      it('attack: a consent still awaiting authorisation: 403 U009', async () => {
        const consentId = await stageConsent(tppA, { permissions: ['ReadAccountsBasic'] });
        const token = await issuePsuToken(app, tppA, alice.psuId, { forgeConsentId: consentId });
        expectError(await read(tppA, token, 'accounts'), 403, 'U009');
      });

      it('attack: an expired consent: 403 U009', async () => {
        const access = await grantAccountAccess(app, tppA, alice, { permissions: ['ReadAccountsBasic'] });
        assert.equal((await read(tppA, access.token, 'accounts')).status, 200);
        // A consent cannot be authorised already expired: its expiry is moved into the past in the
        // table, and the copy cached by the first read retired as any change through the module would.
        await app.portico.database.db.updateTable('consents').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', access.consentId).execute();
        await app.portico.consents.forget(access.consentId);
        expectError(await read(tppA, access.token, 'accounts'), 403, 'U009');
      });

      it('attack: a consent revoked by the PSU, then by DELETE: 403 U009 on the next call', async () => {
        const byPsu = await grantAccountAccess(app, tppA, alice, { permissions: ['ReadBalances'] });
        assert.equal((await read(tppA, byPsu.token, 'balances')).status, 200);
        await consentsOf(app.portico.database.db, app.portico.cache).revoke(byPsu.consentId, 'PSU');
        expectError(await read(tppA, byPsu.token, 'balances'), 403, 'U009');

        const byTpp = await grantAccountAccess(app, tppA, alice, { permissions: ['ReadBalances'] });
        const token = await tppA.clientCredentialsToken('accounts');
        const deleted = await tppA.mtls(`${AISP}/account-access-consents/${byTpp.consentId}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}`, 'x-fapi-interaction-id': randomUUID() } });
        assert.equal(deleted.status, 204);
        expectError(await read(tppA, byTpp.token, 'balances'), 403, 'U009');
      });

      it('attack: an account the PSU did not select: 403 U008, and bulk reads leave it out', async () => {
        let holder = alice;
        for (let position = 0; holder.accountIds.length < 2; position += 1) holder = await sandboxPsu(app, position);
        const every = await grantAccountAccess(app, tppA, holder, { permissions: ['ReadAccountsBasic'] });
        const one = await grantAccountAccess(app, tppA, holder, { permissions: ['ReadAccountsBasic', 'ReadBalances'], accountIds: [holder.accountIds[0]!] });
        const all = (await read(tppA, every.token, 'accounts')).json<{ Data: { Account: Array<{ AccountId: string }> } }>().Data.Account.map((a) => a.AccountId);
        const listed = (await read(tppA, one.token, 'accounts')).json<{ Data: { Account: Array<{ AccountId: string }> } }>().Data.Account.map((a) => a.AccountId);
        assert.equal(listed.length, 1);
        const unselected = all.find((id) => !listed.includes(id))!;
        expectError(await read(tppA, one.token, `accounts/${unselected}/balances`), 403, 'U008');
        const balances = (await read(tppA, one.token, 'balances')).json<{ Data: { Balance: Array<{ AccountId: string }> } }>().Data.Balance;
        assert.ok(balances.length > 0 && balances.every((b) => b.AccountId === listed[0]));
      });

      // OBIE functional conformance suite v1.9.1, ob_4.0_accounts_transactions_fca.json: the scripts
      // that call an AIS resource with `Authorization: Bearer $client_access_token` assert OB3GLOAssertOn401.
      const CLIENT_GRANT_SCRIPTS: Array<[id: string, path: string]> = [
        ['OB-400-BAL-101700', 'balances'],
        ['OB-400-BEN-102203', 'beneficiaries'],
        ['OB-400-DIR-102502', 'direct-debits'],
        ['OB-400-OFF-102802', 'offers'],
        ['OB-400-PAR-103102', 'party'],
        ['OB-400-PRO-102802', 'products'],
        ['OB-400-SCP-103702', 'scheduled-payments'],
        ['OB-400-STO-104101', 'standing-orders'],
      ];
      for (const [id, path] of CLIENT_GRANT_SCRIPTS) {
        it(`OBIE conformance: ${id} GET /${path} "Fails when token is from client grant" expects 401`, async () => {
          const response = await read(tppA, await tppA.clientCredentialsToken('accounts'), path);
          expectError(response, 401, 'U006');
          assert.equal(response.headers['www-authenticate'], 'Bearer error="invalid_token"');
        });
      }

      it('attack: a client-credentials token on a PSU resource, per account and in bulk: 401, no data', async () => {
        const token = await tppA.clientCredentialsToken('accounts');
        for (const endpoint of ENDPOINTS) expectError(await read(tppA, token, fill(endpoint.path)), 401, 'U006');
      });
    });

    describe('read model and cache', () => {
      it('a new posting shows in the next read: the cache is invalidated through the bus', async () => {
        const before = (await read(tppA, full.token, `accounts/${aliceAccount}/balances`)).json<{ Data: { Balance: Array<{ Type: string; Amount: { Amount: string }; CreditDebitIndicator: string }> } }>();
        const booked = before.Data.Balance.find((b) => b.Type === 'ITBD')!;
        const signed = (b: { Amount: { Amount: string }; CreditDebitIndicator: string }) => Math.round(Number(b.Amount.Amount) * 100) * (b.CreditDebitIndicator === 'Debit' ? -1 : 1);
        // Served from the cache now: a second read is identical.
        assert.deepEqual((await read(tppA, full.token, `accounts/${aliceAccount}/balances`)).json<typeof before>().Data.Balance.map(signed), before.Data.Balance.map(signed));
        const accountId = alice.accountIds[0]!;
        await new LedgerCoreBanking(app.portico.database.db).transfer({
          debtorAccountId: internalAccountId('clearing', 'GBP'),
          creditorAccountId: accountId,
          amount: { amountMinor: 1234n, currency: 'GBP' },
          externalRef: `cache-${randomUUID()}`,
          debtorStatement: statement('Refund'),
          creditorStatement: { ...statement('Refund from Portico Retail'), reference: 'CACHE-TEST' },
        });
        let now = 0;
        await waitFor(async () => {
          const after = (await read(tppA, full.token, `accounts/${aliceAccount}/balances`)).json<typeof before>();
          now = signed(after.Data.Balance.find((b) => b.Type === 'ITBD')!);
          return now !== signed(booked);
        }, 'the balance read reflects the posting');
        assert.equal(now, signed(booked) + 1234);
        const latest = (await read(tppA, full.token, `accounts/${aliceAccount}/transactions`)).json<{ Data: { Transaction: Array<{ TransactionReference?: string }> } }>();
        assert.equal(latest.Data.Transaction[0]?.TransactionReference, 'CACHE-TEST');
      });
    });

    describe('pagination', () => {
      it('pages over thousands of transactions return each exactly once, even while new ones are booked', async () => {
        const carol = await sandboxPsu(app, 2);
        const accounts = await Promise.all(carol.accountIds.map((id) => app.portico.core.getAccount(id)));
        const accountId = accounts.find((a) => a?.currency === 'GBP')!.id;
        const clearing = internalAccountId('clearing', 'GBP');
        const start = Date.UTC(2026, 0, 1);
        const book = (n: number, at: (i: number) => number, prefix: string) =>
          app.portico.database.db.transaction().execute(async (trx) => {
            for (let i = 0; i < n; i += 1) {
              await postEntry(trx, {
                kind: 'test',
                description: `${prefix} ${i}`,
                bookedAt: new Date(at(i)),
                postings: [
                  { accountId: clearing, currency: 'GBP', amountMinor: -(100n + BigInt(i)) },
                  { accountId, currency: 'GBP', amountMinor: 100n + BigInt(i), statement: { ...statement(`${prefix} ${i}`), reference: `${prefix}-${i}` } },
                ],
              });
            }
          });
        await book(2500, (i) => start + i * 60_000 + (i % 3 === 0 ? 0 : 1), 'BULK');
        const access = await grantAccountAccess(app, tppA, carol, { permissions: ['ReadTransactionsBasic', 'ReadTransactionsCredits', 'ReadTransactionsDebits'], accountIds: [accountId] });
        const expected = await app.portico.database.db.selectFrom('bank_transactions').select('id').where('account_id', '=', accountId).execute();
        assert.ok(expected.length > 2500);

        const seen: string[] = [];
        let next: string | undefined = `${AISP}/transactions`;
        let pages = 0;
        let totalPages = 0;
        while (next) {
          const url: URL = new URL(next, app.base);
          const response = await read(tppA, access.token, `${url.pathname}${url.search}`);
          assert.equal(response.status, 200, response.text);
          const body = response.json<{ Data: { Transaction: Array<{ TransactionId: string }> }; Links: Record<string, string>; Meta: { TotalPages: number } }>();
          totalPages = body.Meta.TotalPages;
          assert.ok(body.Links['First'] && body.Links['Last'] && body.Links['Self']);
          if (pages > 0) assert.ok(body.Links['Prev'], 'a Prev link after the first page');
          seen.push(...body.Data.Transaction.map((t) => t.TransactionId));
          pages += 1;
          // New transactions booked while the TPP pages through must not shift any page.
          if (pages === 3) await book(5, () => Date.now(), 'LATE');
          next = body.Links['Next'];
        }
        assert.equal(pages, totalPages);
        assert.equal(new Set(seen).size, seen.length, 'no transaction twice');
        assert.deepEqual([...seen].sort(), expected.map((r) => r.id).sort(), 'every transaction once');

        const fresh = (await read(tppA, access.token, 'transactions')).json<{ Data: { Transaction: Array<{ TransactionReference?: string }> } }>();
        assert.match(fresh.Data.Transaction[0]?.TransactionReference ?? '', /^LATE-/);
      });
    });
  });
}
