import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { JSONWebKeySet } from 'jose';
import { formatAmount } from '../../src/core/index.ts';
import { AISP, aisGet, grantAccountAccess, type SandboxPsuIdentity } from '../support/ais-access.ts';
import { assertObResponse } from '../support/openapi.ts';
import { startCoreGatewayProcess, type CoreGatewayProcess } from '../support/core-gateway-process.ts';
import { checkLedger } from '../support/ledger-fixtures.ts';
import { authorisedConsent, checkPisResponse, PISP, pisGet, pisPost, startPisFixture, sweepingVrpBody, sweepingVrpConsentBody, type ObCreditor, type PisFixture, type ResponseCheck } from '../support/pis-access.ts';
import { waitFor } from '../support/wait-for.ts';

/**
 * The acceptance journeys with CORE=remote: Portico on PostgreSQL, the bank's core behind
 * `portico core serve` in a process of its own (its own database, mutual TLS). Every read and
 * every payment goes over the gateway; Portico learns of postings from its change feed.
 */
describe('acceptance journeys with CORE=remote against portico core serve in another process (PostgreSQL)', () => {
  let core: CoreGatewayProcess;
  let fixture: PisFixture;
  let alice: SandboxPsuIdentity;
  let aliceGbp: string;
  let bobGbp: string;
  let bobCreditor: ObCreditor;
  let bankJwks: JSONWebKeySet;

  before(async () => {
    core = await startCoreGatewayProcess();
    fixture = await startPisFixture('postgres', { tpp: 'Remote Core Pay Ltd', other: 'Other Remote Ltd' }, core.env);
    ({ alice, aliceGbp, bobGbp, bobCreditor, bankJwks } = fixture);
  });
  after(async () => {
    await fixture?.app.close();
    await core?.stop();
  });

  const coreBalance = async (accountId: string) => (await fixture.app.portico.core.getBalances(accountId))!.bookedMinor;
  /** The core's own record of a payment: its journal entries in the gateway's database. */
  const coreEntries = async (externalRef: string) => (await core.coreDb.db.selectFrom('bank_journal_entries').select('id').where('external_ref', '=', externalRef).execute()).length;
  const localEntries = async (externalRef: string) => (await fixture.app.portico.database.db.selectFrom('bank_journal_entries').select('id').where('external_ref', '=', externalRef).execute()).length;

  async function aisBooked(token: string, accountRef: string): Promise<string> {
    const response = await aisGet(fixture.tpp, token, `${AISP}/accounts/${accountRef}/balances`);
    assert.equal(response.status, 200, response.text);
    assertObResponse('account-info', 'GET', `${AISP}/accounts/${accountRef}/balances`, response);
    const booked = response.json<{ Data: { Balance: Array<{ Type: string; CreditDebitIndicator: string; Amount: { Amount: string } }> } }>().Data.Balance.find((b) => b.Type === 'ITBD')!;
    return `${booked.CreditDebitIndicator === 'Debit' ? '-' : ''}${booked.Amount.Amount}`;
  }

  it('AIS read: the sandbox PSU\'s accounts, balances and transactions come from the core over the gateway', async () => {
    const access = await grantAccountAccess(fixture.app, fixture.tpp, alice, {
      permissions: ['ReadAccountsDetail', 'ReadBalances', 'ReadTransactionsDetail', 'ReadTransactionsCredits', 'ReadTransactionsDebits'],
      accountIds: [aliceGbp],
    });
    const accounts = await aisGet(fixture.tpp, access.token, `${AISP}/accounts`);
    assert.equal(accounts.status, 200, accounts.text);
    assertObResponse('account-info', 'GET', `${AISP}/accounts`, accounts);
    const listed = accounts.json<{ Data: { Account: Array<{ AccountId: string; Account: Array<{ Identification: string }> }> } }>().Data.Account;
    assert.equal(listed.length, 1);
    const inCore = (await core.coreDb.db.selectFrom('bank_accounts').select(['sort_code', 'account_number', 'balance_minor']).where('id', '=', aliceGbp).executeTakeFirstOrThrow());
    assert.equal(listed[0]!.Account[0]!.Identification, `${inCore.sort_code}${inCore.account_number}`);
    assert.equal(await aisBooked(access.token, listed[0]!.AccountId), formatAmount(inCore.balance_minor, 'GBP'));
    const transactions = await aisGet(fixture.tpp, access.token, `${AISP}/accounts/${listed[0]!.AccountId}/transactions`);
    assert.equal(transactions.status, 200, transactions.text);
    assertObResponse('account-info', 'GET', `${AISP}/accounts/${listed[0]!.AccountId}/transactions`, transactions);
    const inCoreCount = (await core.coreDb.db.selectFrom('bank_transactions').select((eb) => eb.fn.countAll<string>().as('n')).where('account_id', '=', aliceGbp).executeTakeFirstOrThrow()).n;
    assert.ok(Number(inCoreCount) > 0, 'the sandbox bank has history');
    assert.ok(transactions.json<{ Data: { Transaction: unknown[] } }>().Data.Transaction.length > 0);
  });

  it('domestic payment: executed once in the core (not in Portico\'s database), ACCC, and the AIS balance follows from the change feed', async () => {
    const checked: ResponseCheck = (method, pathname, response) => checkPisResponse('payment-initiation', bankJwks, method, pathname, response);
    const access = await grantAccountAccess(fixture.app, fixture.tpp, alice, { permissions: ['ReadAccountsDetail', 'ReadBalances'], accountIds: [aliceGbp] });
    const accountRef = (await aisGet(fixture.tpp, access.token, `${AISP}/accounts`)).json<{ Data: { Account: Array<{ AccountId: string }> } }>().Data.Account[0]!.AccountId;
    const aliceBefore = await coreBalance(aliceGbp);
    const bobBefore = await coreBalance(bobGbp);
    const body = {
      Data: {
        Initiation: {
          InstructionIdentification: `INSTR-${randomUUID().slice(0, 8)}`,
          EndToEndIdentification: `E2E-${randomUUID().slice(0, 8)}`,
          LocalInstrument: 'UK.OBIE.FPS',
          InstructedAmount: { Amount: '12.34', Currency: 'GBP' },
          CreditorAccount: bobCreditor,
          RemittanceInformation: { Unstructured: ['Remote core'] },
        },
      },
      Risk: { PaymentContextCode: 'TransferToThirdParty' },
    };
    const { consentId, psuToken } = await authorisedConsent(fixture.app, fixture.tpp, checked, { path: '/domestic-payment-consents', body, psu: alice, accountId: aliceGbp });
    const funds = await checked('GET', `${PISP}/domestic-payment-consents/${consentId}/funds-confirmation`, await pisGet(fixture.tpp, `/domestic-payment-consents/${consentId}/funds-confirmation`, psuToken));
    assert.equal(funds.json<{ Data: { FundsAvailableResult: { FundsAvailable: boolean } } }>().Data.FundsAvailableResult.FundsAvailable, true);
    const submitted = await checked('POST', `${PISP}/domestic-payments`, await pisPost(fixture.tpp, '/domestic-payments', { token: psuToken, body: JSON.stringify({ Data: { ConsentId: consentId, Initiation: body.Data.Initiation }, Risk: body.Risk }) }));
    assert.equal(submitted.status, 201, submitted.text);
    const paymentId = submitted.json<{ Data: { DomesticPaymentId: string } }>().Data.DomesticPaymentId;
    let status = '';
    await waitFor(async () => {
      const read = await pisGet(fixture.tpp, `/domestic-payments/${paymentId}`, await fixture.tpp.clientCredentialsToken('payments'));
      status = read.json<{ Data: { Status: string } }>().Data.Status;
      return status !== 'PDNG';
    }, 'the payment to be executed');
    assert.equal(status, 'ACCC');
    assert.equal(await coreEntries(`payment:${paymentId}`), 1, 'booked once in the core');
    assert.equal(await localEntries(`payment:${paymentId}`), 0, 'nothing booked in Portico\'s own ledger tables');
    assert.equal(await coreBalance(aliceGbp), aliceBefore - 1234n);
    assert.equal(await coreBalance(bobGbp), bobBefore + 1234n);
    await waitFor(async () => (await aisBooked(access.token, accountRef)) === formatAmount(aliceBefore - 1234n, 'GBP'), 'the AIS balance to follow the core');
  });

  it('domestic VRP: several payments under one consent, each executed once in the core, and the core\'s ledger balances', async () => {
    const checked: ResponseCheck = (method, pathname, response) => checkPisResponse('vrp', bankJwks, method, pathname, response);
    const aliceBefore = await coreBalance(aliceGbp);
    const consentBody = sweepingVrpConsentBody({ maxAmount: '100.00', period: 'Month', creditor: bobCreditor, remittance: 'Sweep to savings' });
    const { consentId, psuToken } = await authorisedConsent(fixture.app, fixture.tpp, checked, { path: '/domestic-vrp-consents', body: consentBody, psu: alice, accountId: aliceGbp });
    const ids: string[] = [];
    for (const amount of ['10.00', '20.50']) {
      const vrp = sweepingVrpBody(consentId, consentBody, { amount, creditor: bobCreditor, remittance: 'VRP' });
      const submitted = await checked('POST', `${PISP}/domestic-vrps`, await pisPost(fixture.tpp, '/domestic-vrps', { token: psuToken, body: JSON.stringify(vrp) }));
      assert.equal(submitted.status, 201, submitted.text);
      ids.push(submitted.json<{ Data: { DomesticVRPId: string } }>().Data.DomesticVRPId);
    }
    for (const id of ids) {
      await waitFor(async () => {
        const read = await pisGet(fixture.tpp, `/domestic-vrps/${id}`, await fixture.tpp.clientCredentialsToken('payments'));
        return read.json<{ Data: { Status: string } }>().Data.Status === 'ACCC';
      }, `VRP ${id} to be executed`);
    }
    const refs = await core.coreDb.db.selectFrom('bank_journal_entries').select('external_ref').where('external_ref', 'is not', null).execute();
    for (const id of ids) assert.equal(refs.filter((r) => r.external_ref?.endsWith(id)).length, 1, `VRP ${id} booked once in the core`);
    assert.equal(await coreBalance(aliceGbp), aliceBefore - 3050n);
    const ledger = await checkLedger(core.coreDb.db);
    assert.deepEqual(ledger.mismatchedAccounts, []);
    for (const [currency, sum] of ledger.sumsByCurrency) assert.equal(sum, 0n, currency);
  });
});
