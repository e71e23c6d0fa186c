import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { formatAmount } from '../../../src/core/index.ts';
import { createPsuAuthorisationModule, PsuAuthorisationErrors } from '../../../src/modules/psu-authorisation/index.ts';
import { createPsuIdentityModule, relyingPartyFor } from '../../../src/modules/psu-identity/index.ts';
import { isAppError } from '../../../src/platform/errors/index.ts';
import { DIALECTS } from '../../support/backends.ts';
import { startTestPortico, type TestPortico } from '../../support/start-test-portico.ts';
import { TppClient } from '../../support/tpp-client.ts';
import { assertObResponse } from '../../support/openapi.ts';
import type { HttpsResponse } from '../../support/https-client.ts';
import { registerClient } from '../../support/ob-dcr-client.ts';
import { expectObError, type ObError } from '../../support/ob-errors.ts';
import { issuePsuToken, newGrant, sandboxPsu, type SandboxPsuIdentity } from '../../support/ais-access.ts';

const CBPII = '/open-banking/v4.0/cbpii';
const SCOPE = 'openid fundsconfirmations';

interface ObFundsConsent {
  Data: { ConsentId: string; Status: string; ExpirationDateTime?: string; DebtorAccount: Record<string, unknown> };
  Links: { Self: string };
}
interface ObFundsConfirmation {
  Data: { FundsConfirmationId: string; ConsentId: string; FundsAvailable: boolean; Reference: string; InstructedAmount: { Amount: string; Currency: string } };
}

for (const dialect of DIALECTS) {
  describe(`OB v4.0 confirmation of funds (CBPII) (${dialect})`, () => {
    let app: TestPortico;
    let tpp: TppClient;
    let other: TppClient;
    let alice: SandboxPsuIdentity;
    let bob: SandboxPsuIdentity;
    let aliceAccount: { id: string; currency: string; identification: string };
    let bobIdentification: string;

    before(async () => {
      app = await startTestPortico(dialect, {}, { seedSandbox: true });
      tpp = await cbpii('Card Issuer Ltd');
      other = await cbpii('Other Card Issuer Ltd');
      alice = await sandboxPsu(app, 0);
      bob = await sandboxPsu(app, 1);
      aliceAccount = await sortCodeAccount(alice);
      bobIdentification = (await sortCodeAccount(bob)).identification;
    });
    after(async () => {
      await app?.close();
    });

    /** A CBPII registered by OB DCR for the `fundsconfirmations` scope its role allows. */
    async function cbpii(name: string): Promise<TppClient> {
      const client = await TppClient.onboard(app, name, ['CBPII']);
      client.clientId = (await registerClient(app, client.tpp, { scope: 'openid fundsconfirmations' })).client_id;
      return client;
    }

    async function sortCodeAccount(psu: SandboxPsuIdentity) {
      for (const id of psu.accountIds) {
        const account = await app.portico.core.getAccount(id);
        if (account?.status === 'Enabled' && account.sortCode && account.accountNumber) return { id, currency: account.currency, identification: `${account.sortCode}${account.accountNumber}` };
      }
      throw new Error(`PSU ${psu.psuId} has no account with a sort code`);
    }

    /** Every response as the official file defines it for its operation. */
    function checked(method: string, pathname: string, response: HttpsResponse): HttpsResponse {
      assertObResponse('confirmation-funds', method, pathname, response);
      return response;
    }

    async function call(client: TppClient, method: string, pathname: string, token: string, body?: unknown): Promise<HttpsResponse> {
      const response = await client.mtls(`${CBPII}${pathname}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'x-fapi-interaction-id': randomUUID(), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return checked(method, `${CBPII}${pathname}`, response);
    }

    const tppToken = (client: TppClient = tpp) => client.clientCredentialsToken('fundsconfirmations');

    async function createConsent(client: TppClient = tpp, data: Record<string, unknown> = {}): Promise<ObFundsConsent> {
      const body = { Data: { DebtorAccount: { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: aliceAccount.identification, Name: 'Alice' }, ...data } };
      const response = await call(client, 'POST', '/funds-confirmation-consents', await tppToken(client), body);
      assert.equal(response.status, 201, response.text);
      return response.json<ObFundsConsent>();
    }

    /** The PSU approves on the PSU authorisation pages' use case; the authorisation server then issues the PSU token. */
    async function authorise(consentId: string, psu: SandboxPsuIdentity = alice, client: TppClient = tpp): Promise<string> {
      let grantId = '';
      const { database, cache, loginGuard, core, config } = app.portico;
      const psuIdentity = createPsuIdentityModule({ db: database.db, cache, loginGuard, relyingParty: relyingPartyFor(config.http.publicUrl) });
      await createPsuAuthorisationModule({ consents: app.portico.consents, core, psuIdentity, db: app.portico.database.db }).approveConsent(
        { consentId, clientId: client.clientId, scopes: new Set(SCOPE.split(' ')) },
        { psuId: psu.psuId, partyId: psu.partyId, accountIds: [aliceAccount.id], source: '127.0.0.1' },
        async () => (grantId = await newGrant(app, client, psu.psuId, SCOPE)),
      );
      return issuePsuToken(app, client, psu.psuId, { grantId, scope: SCOPE });
    }

    async function authorisedConsent() {
      const consent = await createConsent();
      return { consentId: consent.Data.ConsentId, psuToken: await authorise(consent.Data.ConsentId) };
    }

    const confirmation = (consentId: string, amount: string, currency = aliceAccount.currency) => ({
      Data: { ConsentId: consentId, Reference: 'Purchase01', InstructedAmount: { Amount: amount, Currency: currency } },
    });
    const confirm = (token: string, body: unknown, client: TppClient = tpp) => call(client, 'POST', '/funds-confirmations', token, body);

    async function spendingPower(): Promise<bigint> {
      const balances = await app.portico.core.getBalances(aliceAccount.id);
      assert.ok(balances);
      return balances.availableMinor + balances.overdraftLimitMinor;
    }

    it('consent → the PSU authorises → FundsAvailable true up to the available balance with overdraft, false one penny above', async () => {
      const expires = new Date(Date.now() + 86_400_000).toISOString().replace(/\.\d{3}Z$/, '+00:00');
      const created = await createConsent(tpp, { ExpirationDateTime: expires });
      assert.equal(created.Data.Status, 'AWAU');
      assert.equal(created.Data.ExpirationDateTime, expires);
      assert.deepEqual(created.Data.DebtorAccount, { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: aliceAccount.identification, Name: 'Alice' });
      assert.equal(created.Links.Self, `${app.base}${CBPII}/funds-confirmation-consents/${created.Data.ConsentId}`);
      const consentId = created.Data.ConsentId;
      const psuToken = await authorise(consentId);

      const read = await call(tpp, 'GET', `/funds-confirmation-consents/${consentId}`, await tppToken());
      assert.equal(read.status, 200, read.text);
      assert.equal(read.json<ObFundsConsent>().Data.Status, 'AUTH');

      const power = await spendingPower();
      assert.ok(power > 0n, 'the sandbox account can pay something');
      const exactly = await confirm(psuToken, confirmation(consentId, formatAmount(power, aliceAccount.currency)));
      assert.equal(exactly.status, 201, exactly.text);
      const yes = exactly.json<ObFundsConfirmation>();
      assert.equal(yes.Data.FundsAvailable, true);
      assert.equal(yes.Data.ConsentId, consentId);
      assert.equal(yes.Data.Reference, 'Purchase01');
      assert.deepEqual(yes.Data.InstructedAmount, { Amount: formatAmount(power, aliceAccount.currency), Currency: aliceAccount.currency });

      const above = await confirm(psuToken, confirmation(consentId, formatAmount(power + 1n, aliceAccount.currency)));
      assert.equal(above.status, 201, above.text);
      const no = above.json<ObFundsConfirmation>();
      assert.equal(no.Data.FundsAvailable, false);
      assert.notEqual(no.Data.FundsConfirmationId, yes.Data.FundsConfirmationId);
      // A yes or no, never the balance: the only amount in the answer is the one asked about.
      assert.deepEqual(Object.keys(no.Data).sort(), ['ConsentId', 'CreationDateTime', 'FundsAvailable', 'FundsConfirmationId', 'InstructedAmount', 'Reference']);
      assert.ok(!above.text.includes(formatAmount(power, aliceAccount.currency)), 'the available balance is not disclosed');
    });

    it('refuses bodies the official schema or the bank cannot honour: 400 with the field', async () => {
      const token = await tppToken();
      expectObError(await call(tpp, 'POST', '/funds-confirmation-consents', token, { Data: {} }), 400, 'U004');
      expectObError(await call(tpp, 'POST', '/funds-confirmation-consents', token, { Data: { DebtorAccount: { SchemeName: 'UK.OBIE.PAN', Identification: '5409050000000000' } } }), 400, 'U021');
      expectObError(await call(tpp, 'POST', '/funds-confirmation-consents', token, { Data: { DebtorAccount: { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: '1234' } } }), 400, 'U002');
      const past = { DebtorAccount: { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: aliceAccount.identification }, ExpirationDateTime: '2020-01-01T00:00:00+00:00' };
      expectObError(await call(tpp, 'POST', '/funds-confirmation-consents', token, { Data: past }), 400, 'U003');
      const { consentId, psuToken } = await authorisedConsent();
      expectObError(await confirm(psuToken, { Data: { ConsentId: consentId, Reference: 'x' } }), 400, 'U004');
      expectObError(await confirm(psuToken, confirmation(consentId, '1.001')), 400, 'U002');
      expectObError(await confirm(psuToken, confirmation(consentId, '0.00')), 400, 'U002');
    });

    it('attack: an amount in another currency than the account: 400 U023, no answer', async () => {
      const { consentId, psuToken } = await authorisedConsent();
      const response = await confirm(psuToken, confirmation(consentId, '1.00', aliceAccount.currency === 'EUR' ? 'GBP' : 'EUR'));
      expectObError(response, 400, 'U023');
      assert.equal(response.json<ObError>().Errors[0]?.Path, 'Data.InstructedAmount.Currency');
      expectObError(await confirm(psuToken, confirmation(consentId, '1.00', 'XXX')), 400, 'U023');
    });

    it('attack: another TPP reads, confirms under or deletes a consent id: 400 U011 / 403 U008, nothing disclosed or changed', async () => {
      const { consentId, psuToken } = await authorisedConsent();
      expectObError(await call(other, 'GET', `/funds-confirmation-consents/${consentId}`, await tppToken(other)), 400, 'U011');
      expectObError(await call(other, 'DELETE', `/funds-confirmation-consents/${consentId}`, await tppToken(other)), 400, 'U011');
      const still = await call(tpp, 'GET', `/funds-confirmation-consents/${consentId}`, await tppToken());
      assert.equal(still.json<ObFundsConsent>().Data.Status, 'AUTH');
      // The other TPP's own PSU token, with the victim's consent id in the body.
      const theirs = await createConsent(other);
      const otherToken = await authorise(theirs.Data.ConsentId, alice, other);
      expectObError(await confirm(otherToken, confirmation(consentId, '1.00'), other), 403, 'U008');
      // The victim TPP's token presented by the other TPP: the certificate binding fails.
      const stolen = await other.mtls(`${CBPII}/funds-confirmations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${psuToken}`, 'x-fapi-interaction-id': randomUUID(), 'content-type': 'application/json' },
        body: JSON.stringify(confirmation(consentId, '1.00')),
      });
      assert.equal(checked('POST', `${CBPII}/funds-confirmations`, stolen).status, 401);
      // An unknown id answers the same as another TPP's.
      expectObError(await call(tpp, 'GET', `/funds-confirmation-consents/cof-${randomUUID()}`, await tppToken()), 400, 'U011');
    });

    it('attack: a consent revoked by DELETE, then a confirmation: 403 U009; it reads CANC', async () => {
      const { consentId, psuToken } = await authorisedConsent();
      assert.equal((await confirm(psuToken, confirmation(consentId, '1.00'))).status, 201);
      const deleted = await call(tpp, 'DELETE', `/funds-confirmation-consents/${consentId}`, await tppToken());
      assert.equal(deleted.status, 204, deleted.text);
      expectObError(await confirm(psuToken, confirmation(consentId, '1.00')), 403, 'U009');
      const read = await call(tpp, 'GET', `/funds-confirmation-consents/${consentId}`, await tppToken());
      assert.equal(read.json<ObFundsConsent>().Data.Status, 'CANC');
      expectObError(await call(tpp, 'DELETE', `/funds-confirmation-consents/${consentId}`, await tppToken()), 400, 'U009');
    });

    it('attack: an expired consent: 403 U009; it reads EXPD', async () => {
      const { consentId, psuToken } = await authorisedConsent();
      assert.equal((await confirm(psuToken, confirmation(consentId, '1.00'))).status, 201);
      // A consent cannot be authorised already expired: its expiry is moved into the past in the
      // table, and the copy cached by the first call retired as any change through the module would.
      await app.portico.database.db.updateTable('consents').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', consentId).execute();
      await app.portico.consents.forget(consentId);
      expectObError(await confirm(psuToken, confirmation(consentId, '1.00')), 403, 'U009');
      const read = await call(tpp, 'GET', `/funds-confirmation-consents/${consentId}`, await tppToken());
      assert.equal(read.json<ObFundsConsent>().Data.Status, 'EXPD');
    });

    it('attack: a consent awaiting authorisation: no confirmation under it (403 U008 by id, 403 U009 by a token naming it)', async () => {
      const { psuToken } = await authorisedConsent();
      const pending = (await createConsent()).Data.ConsentId;
      expectObError(await confirm(psuToken, confirmation(pending, '1.00')), 403, 'U008');
      const forged = await issuePsuToken(app, tpp, alice.psuId, { forgeConsentId: pending, scope: SCOPE });
      expectObError(await confirm(forged, confirmation(pending, '1.00')), 403, 'U009');
    });

    it('attack: a client-credentials token on funds-confirmations: 401 U006', async () => {
      const { consentId } = await authorisedConsent();
      expectObError(await confirm(await tppToken(), confirmation(consentId, '1.00')), 401, 'U006');
    });

    it('attack: a PSU token of another scope (accounts) on funds-confirmations: 403 U006', async () => {
      const { consentId } = await authorisedConsent();
      const accountsToken = await issuePsuToken(app, tpp, alice.psuId, { forgeConsentId: consentId, scope: 'openid accounts' });
      expectObError(await confirm(accountsToken, confirmation(consentId, '1.00')), 403, 'U006');
    });

    it('attack: a consent naming another customer\'s account: that PSU cannot authorise it, and the TPP learns nothing at creation', async () => {
      const created = await call(tpp, 'POST', '/funds-confirmation-consents', await tppToken(), { Data: { DebtorAccount: { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: bobIdentification } } });
      assert.equal(created.status, 201, created.text);
      const unknown = await call(tpp, 'POST', '/funds-confirmation-consents', await tppToken(), { Data: { DebtorAccount: { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: '99999912345678' } } });
      assert.equal(unknown.status, 201, 'an account of no customer looks the same to the TPP');
      await assert.rejects(authorise(created.json<ObFundsConsent>().Data.ConsentId, alice), (error: unknown) => isAppError(error) && error.code === PsuAuthorisationErrors.NO_ELIGIBLE_ACCOUNT.code);
      assert.ok(bob.psuId !== alice.psuId);
    });
  });
}
