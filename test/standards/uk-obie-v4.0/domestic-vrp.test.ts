import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { JSONWebKeySet } from 'jose';
import { DIALECTS } from '../../support/backends.ts';
import type { TestPortico } from '../../support/start-test-portico.ts';
import type { TppClient } from '../../support/tpp-client.ts';
import { expectObError } from '../../support/ob-errors.ts';
import { checkLedger } from '../../support/ledger-fixtures.ts';
import { waitFor } from '../../support/wait-for.ts';
import type { SandboxPsuIdentity } from '../../support/ais-access.ts';
import { DataKeyRing, PersonalDataCipher } from '../../../src/platform/keystore/index.ts';
import {
  authorisedConsent,
  authorisePaymentConsent,
  checkPisResponse,
  gbpAccount,
  PISP,
  pisGet,
  pisPost,
  startPisFixture,
  sweepingVrpBody,
  tppSignature,
  type ObCreditor,
  type ResponseCheck,
} from '../../support/pis-access.ts';

interface ObVrpConsentResponse {
  Data: { ConsentId: string; Status: string; ControlParameters: Record<string, unknown>; Initiation: Record<string, unknown>; DebtorAccount?: { Identification: string } };
  Risk: Record<string, unknown>;
}

interface ObVrpResponse {
  Data: {
    DomesticVRPId: string;
    ConsentId: string;
    Status: string;
    StatusReason?: Array<{ StatusReasonCode: string }>;
    Initiation: Record<string, unknown>;
    Instruction: Record<string, unknown>;
    DebtorAccount?: { Identification: string };
    Refund?: { Identification: string };
  };
  Links: { Self: string };
}

interface Limit {
  PeriodType: string;
  PeriodAlignment: string;
  Amount: string;
  Currency: string;
}

const EXTERNAL_CREDITOR = { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: '99999912345678', Name: 'Outside Bank Payee Ltd' };

for (const dialect of DIALECTS) {
  describe(`OB v4.0 domestic VRPs (${dialect})`, () => {
    let app: TestPortico;
    let tpp: TppClient;
    let other: TppClient;
    let alice: SandboxPsuIdentity;
    let aliceGbp: string;
    let bobGbp: string;
    let bobCreditor: ObCreditor;
    let bankJwks: JSONWebKeySet;
    const db = () => app.portico.database.db;

    before(async () => {
      ({ app, tpp, other, alice, aliceGbp, bobGbp, bobCreditor, bankJwks } = await startPisFixture(dialect, { tpp: 'Sweeping Ltd', other: 'Other VRP Ltd' }));
    });
    after(async () => {
      await app?.close();
    });

    /** A response as the official VRP file defines it for its operation, signed by the bank when the spec signs it. */
    const checked: ResponseCheck = (method, pathname, response) => checkPisResponse('vrp', bankJwks, method, pathname, response);

    interface ConsentOptions {
      max?: string;
      limits?: Limit[];
      validFrom?: string;
      validTo?: string;
      creditor?: object | null;
      readRefundAccount?: 'Yes' | 'No';
    }
    function consentBody(options: ConsentOptions = {}) {
      const creditor = options.creditor === undefined ? bobCreditor : options.creditor;
      return {
        Data: {
          ...(options.readRefundAccount ? { ReadRefundAccount: options.readRefundAccount } : {}),
          ControlParameters: {
            ...(options.validFrom ? { ValidFromDateTime: options.validFrom } : {}),
            ...(options.validTo ? { ValidToDateTime: options.validTo } : {}),
            MaximumIndividualAmount: { Amount: options.max ?? '100.00', Currency: 'GBP' },
            PeriodicLimits: options.limits ?? [{ PeriodType: 'Month', PeriodAlignment: 'Consent', Amount: '1000.00', Currency: 'GBP' }],
            VRPType: ['UK.OBIE.VRPType.Sweeping'],
            PSUAuthenticationMethods: ['UK.OBIE.SCANotRequired'],
          },
          Initiation: {
            ...(creditor ? { CreditorAccount: creditor } : {}),
            RemittanceInformation: { Unstructured: ['Sweep to savings'] },
          },
        },
        Risk: { PaymentContextCode: 'TransferToSelf' },
      };
    }
    type ConsentBody = ReturnType<typeof consentBody>;

    function vrpBody(consentId: string, consent: ConsentBody, amount: string, creditor: object = bobCreditor) {
      return sweepingVrpBody(consentId, consent, { amount, creditor, remittance: `VRP-${randomUUID().slice(0, 6)}` });
    }

    const postConsent = async (body: object, client: TppClient = tpp) =>
      checked('POST', `${PISP}/domestic-vrp-consents`, await pisPost(client, '/domestic-vrp-consents', { token: await client.clientCredentialsToken('payments'), body: JSON.stringify(body) }));

    /** The TPP stages a VRP consent and the PSU authorises it from her GBP account. */
    async function authorisedVrpConsent(options: ConsentOptions = {}, client: TppClient = tpp) {
      const body = consentBody(options);
      return { body, ...(await authorisedConsent(app, client, checked, { path: '/domestic-vrp-consents', body, psu: alice, accountId: aliceGbp })) };
    }

    const submit = async (psuToken: string, body: object, headers: { idempotencyKey?: string; signature?: string } = {}, client: TppClient = tpp) =>
      checked('POST', `${PISP}/domestic-vrps`, await pisPost(client, '/domestic-vrps', { token: psuToken, body: JSON.stringify(body), ...headers }));

    const readConsent = async (consentId: string, client: TppClient = tpp) =>
      checked('GET', `${PISP}/domestic-vrp-consents/${consentId}`, await pisGet(client, `/domestic-vrp-consents/${consentId}`, await client.clientCredentialsToken('payments')));

    async function vrpStatus(vrpId: string): Promise<ObVrpResponse> {
      const response = await checked('GET', `${PISP}/domestic-vrps/${vrpId}`, await pisGet(tpp, `/domestic-vrps/${vrpId}`, await tpp.clientCredentialsToken('payments')));
      assert.equal(response.status, 200, response.text);
      return response.json<ObVrpResponse>();
    }

    async function settled(vrpId: string): Promise<ObVrpResponse> {
      let vrp: ObVrpResponse | undefined;
      await waitFor(async () => {
        vrp = await vrpStatus(vrpId);
        // Final: executed (PDNG over) and, when it left the bank, settled by the scheme (ACSP over).
        return !['PDNG', 'ACSP'].includes(vrp.Data.Status);
      }, `VRP ${vrpId} to be executed and settled`);
      return vrp!;
    }

    const balanceOf = async (accountId: string) => (await app.portico.core.getBalances(accountId))!.bookedMinor;
    const vrpsOf = async (consentId: string) => (await db().selectFrom('payments').select('id').where('consent_id', '=', consentId).execute()).length;
    const entriesOf = async (vrpId: string) => (await db().selectFrom('bank_journal_entries').select('id').where('external_ref', '=', `payment:${vrpId}`).execute()).length;

    it('consent → PSU authorisation → several VRPs → each executed on the ledger; the consent stays AUTH', async () => {
      const aliceBefore = await balanceOf(aliceGbp);
      const bobBefore = await balanceOf(bobGbp);
      const body = consentBody({ readRefundAccount: 'Yes' });
      const created = await postConsent(body);
      assert.equal(created.status, 201, created.text);
      const consent = created.json<ObVrpConsentResponse>();
      assert.equal(consent.Data.Status, 'AWAU');
      assert.deepEqual(consent.Data.ControlParameters, body.Data.ControlParameters, 'ControlParameters echoed exactly');
      assert.deepEqual(consent.Data.Initiation, body.Data.Initiation);
      assert.deepEqual(consent.Risk, body.Risk);
      const consentId = consent.Data.ConsentId;
      assert.equal((await readConsent(consentId)).json<ObVrpConsentResponse>().Data.Status, 'AWAU');

      const psuToken = await authorisePaymentConsent(app, tpp, alice, consentId, aliceGbp);
      const authorised = (await readConsent(consentId)).json<ObVrpConsentResponse>();
      assert.equal(authorised.Data.Status, 'AUTH');
      const aliceAccount = await gbpAccount(app, alice);
      assert.equal(authorised.Data.DebtorAccount?.Identification, `${aliceAccount.sortCode}${aliceAccount.accountNumber}`);

      const fundsBody = { Data: { ConsentId: consentId, Reference: 'Sweep', InstructedAmount: { Amount: '10.00', Currency: 'GBP' } } };
      const funds = await checked(
        'POST',
        `${PISP}/domestic-vrp-consents/${consentId}/funds-confirmation`,
        await pisPost(tpp, `/domestic-vrp-consents/${consentId}/funds-confirmation`, { token: psuToken, body: JSON.stringify(fundsBody) }),
      );
      assert.equal(funds.status, 201, funds.text);
      assert.equal(funds.json<{ Data: { FundsAvailableResult: { FundsAvailable: string } } }>().Data.FundsAvailableResult.FundsAvailable, 'Available');

      const ids: string[] = [];
      for (const amount of ['10.00', '20.00', '30.50']) {
        const submitted = await submit(psuToken, vrpBody(consentId, body, amount));
        assert.equal(submitted.status, 201, submitted.text);
        const vrp = submitted.json<ObVrpResponse>();
        assert.equal(vrp.Data.ConsentId, consentId);
        assert.deepEqual(vrp.Data.Initiation, body.Data.Initiation);
        assert.ok(['PDNG', 'ACCC'].includes(vrp.Data.Status), vrp.Data.Status);
        assert.equal(vrp.Data.DebtorAccount?.Identification, `${aliceAccount.sortCode}${aliceAccount.accountNumber}`);
        assert.equal(vrp.Data.Refund?.Identification, vrp.Data.DebtorAccount?.Identification, 'ReadRefundAccount: the refund account is the debtor');
        assert.match(vrp.Links.Self, new RegExp(`/open-banking/v4\\.0/pisp/domestic-vrps/${vrp.Data.DomesticVRPId}$`));
        ids.push(vrp.Data.DomesticVRPId);
      }
      for (const id of ids) assert.equal((await settled(id)).Data.Status, 'ACCC');
      const details = await checked('GET', `${PISP}/domestic-vrps/${ids[0]}/payment-details`, await pisGet(tpp, `/domestic-vrps/${ids[0]}/payment-details`, await tpp.clientCredentialsToken('payments')));
      assert.equal(details.status, 200, details.text);
      assert.equal(details.json<{ Data: { PaymentStatus: Array<{ Status: string }> } }>().Data.PaymentStatus[0]?.Status, 'ACCC');
      assert.equal((await readConsent(consentId)).json<ObVrpConsentResponse>().Data.Status, 'AUTH', 'a VRP consent is not consumed');

      assert.equal(await balanceOf(aliceGbp), aliceBefore - 6050n);
      assert.equal(await balanceOf(bobGbp), bobBefore + 6050n);
      for (const id of ids) assert.equal(await entriesOf(id), 1);
      const ledger = await checkLedger(db());
      assert.deepEqual(ledger.mismatchedAccounts, []);
      for (const [currency, sum] of ledger.sumsByCurrency) assert.equal(sum, 0n, currency);
    });

    it('a consent without a payee: each VRP names its own (through clearing, ACSC)', async () => {
      const { body, consentId, psuToken } = await authorisedVrpConsent({ creditor: null });
      const submitted = await submit(psuToken, vrpBody(consentId, body, '1.00', EXTERNAL_CREDITOR));
      assert.equal(submitted.status, 201, submitted.text);
      assert.equal((await settled(submitted.json<ObVrpResponse>().Data.DomesticVRPId)).Data.Status, 'ACSC');
    });

    it('a replayed VRP (same idempotency key and body) answers with the same VRP, one debit', async () => {
      const { body, consentId, psuToken } = await authorisedVrpConsent();
      const key = randomUUID();
      const payload = vrpBody(consentId, body, '2.00');
      const first = await submit(psuToken, payload, { idempotencyKey: key });
      assert.equal(first.status, 201, first.text);
      const replay = await submit(psuToken, payload, { idempotencyKey: key });
      assert.equal(replay.status, 201, replay.text);
      assert.equal(replay.json<ObVrpResponse>().Data.DomesticVRPId, first.json<ObVrpResponse>().Data.DomesticVRPId);
      assert.equal(await vrpsOf(consentId), 1);
    });

    it('control parameters the bank cannot honour are refused at consent creation (400)', async () => {
      expectObError(await postConsent(consentBody({ limits: [{ PeriodType: 'Fortnight', PeriodAlignment: 'Calendar', Amount: '10.00', Currency: 'GBP' }] })), 400, 'U002');
      expectObError(await postConsent(consentBody({ limits: [{ PeriodType: 'Day', PeriodAlignment: 'Consent', Amount: '10.00', Currency: 'EUR' }] })), 400, 'U002');
      expectObError(await postConsent(consentBody({ max: '0.00' })), 400, 'U002');
      expectObError(await postConsent(consentBody({ validTo: new Date(Date.now() - 60_000).toISOString() })), 400, 'U003');
      expectObError(await postConsent({ ...consentBody(), Unexpected: true }), 400, 'U005');
    });

    describe('attacks', () => {
      it('VRP over MaximumIndividualAmount: 400 U014, nothing paid', async () => {
        const { body, consentId, psuToken } = await authorisedVrpConsent({ max: '25.00' });
        expectObError(await submit(psuToken, vrpBody(consentId, body, '25.01')), 400, 'U014');
        assert.equal(await vrpsOf(consentId), 0);
        assert.equal((await submit(psuToken, vrpBody(consentId, body, '25.00'))).status, 201, 'the maximum itself is allowed');
      });

      it('VRP over the periodic limit after earlier ones: 400 U014; what still fits is accepted', async () => {
        const { body, consentId, psuToken } = await authorisedVrpConsent({
          limits: [
            { PeriodType: 'Day', PeriodAlignment: 'Consent', Amount: '50.00', Currency: 'GBP' },
            { PeriodType: 'Year', PeriodAlignment: 'Calendar', Amount: '500.00', Currency: 'GBP' },
          ],
        });
        for (const amount of ['20.00', '20.00']) assert.equal((await submit(psuToken, vrpBody(consentId, body, amount))).status, 201);
        expectObError(await submit(psuToken, vrpBody(consentId, body, '10.01')), 400, 'U014');
        assert.equal(await vrpsOf(consentId), 2);
        assert.equal((await submit(psuToken, vrpBody(consentId, body, '10.00'))).status, 201, 'exactly up to the limit');
        expectObError(await submit(psuToken, vrpBody(consentId, body, '0.01')), 400, 'U014');
      });

      it('VRP before ValidFromDateTime: 400 U014; after ValidToDateTime the consent is EXPD: 403 U009', async () => {
        const future = await authorisedVrpConsent({ validFrom: new Date(Date.now() + 86_400_000).toISOString() });
        expectObError(await submit(future.psuToken, vrpBody(future.consentId, future.body, '1.00')), 400, 'U014');
        assert.equal(await vrpsOf(future.consentId), 0);

        const { body, consentId, psuToken } = await authorisedVrpConsent({ validTo: new Date(Date.now() + 86_400_000).toISOString() });
        assert.equal((await submit(psuToken, vrpBody(consentId, body, '1.00'))).status, 201);
        // Time passes ValidToDateTime: the consent's window moves into the past (the same as moving the clock on).
        const past = new Date(Date.now() - 1000);
        const stored = await db().selectFrom('ob_wire_bodies').select('body').where('resource_type', '=', 'consent').where('resource_id', '=', consentId).executeTakeFirstOrThrow();
        // Kept encrypted (src/platform/keystore PersonalDataCipher); written back in the clear, as a body from before encryption reads.
        const cipher = new PersonalDataCipher(await DataKeyRing.load(db(), app.portico.sealer, 'personal-data'));
        const request = JSON.parse(await cipher.decrypt(String(stored.body), `ob_wire_bodies.body:consent:${consentId}`)) as { Data: { ControlParameters: Record<string, unknown> } };
        request.Data.ControlParameters['ValidToDateTime'] = past.toISOString();
        await db().updateTable('consents').set({ expires_at: past }).where('id', '=', consentId).execute();
        await db().updateTable('ob_wire_bodies').set({ body: JSON.stringify(request) }).where('resource_type', '=', 'consent').where('resource_id', '=', consentId).execute();
        await app.portico.consents.forget(consentId);
        expectObError(await submit(psuToken, vrpBody(consentId, body, '1.00')), 403, 'U009');
        assert.equal((await readConsent(consentId)).json<ObVrpConsentResponse>().Data.Status, 'EXPD');
        assert.equal(await vrpsOf(consentId), 1);
      });

      it('VRP after the TPP revoked the consent (DELETE): 403 U009, the row kept as CANC', async () => {
        const { body, consentId, psuToken } = await authorisedVrpConsent();
        assert.equal((await submit(psuToken, vrpBody(consentId, body, '1.00'))).status, 201);
        const deleted = await tpp.mtls(`${PISP}/domestic-vrp-consents/${consentId}`, {
          method: 'DELETE',
          headers: { authorization: `Bearer ${await tpp.clientCredentialsToken('payments')}`, 'x-fapi-interaction-id': randomUUID() },
        });
        assert.equal((await checked('DELETE', `${PISP}/domestic-vrp-consents/${consentId}`, deleted)).status, 204);
        expectObError(await submit(psuToken, vrpBody(consentId, body, '1.00')), 403, 'U009');
        const row = await db().selectFrom('consents').select(['status', 'revoked_by']).where('id', '=', consentId).executeTakeFirstOrThrow();
        assert.deepEqual(row, { status: 'revoked', revoked_by: 'TPP' });
        assert.equal(await vrpsOf(consentId), 1);
      });

      it('OBIE conformance: OB-400-VRP-102150 "Attempts to Retrieve Deleted Consent" expects 400 (U011); OB-400-VRP-102200 a second DELETE 400', async () => {
        const { consentId } = await authorisedVrpConsent();
        const token = await tpp.clientCredentialsToken('payments');
        const del = () => tpp.mtls(`${PISP}/domestic-vrp-consents/${consentId}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}`, 'x-fapi-interaction-id': randomUUID() } });
        assert.equal((await checked('DELETE', `${PISP}/domestic-vrp-consents/${consentId}`, await del())).status, 204);
        expectObError(await readConsent(consentId), 400, 'U011');
        // The script accepts 400 or 204; the consent is no longer revocable.
        expectObError(await checked('DELETE', `${PISP}/domestic-vrp-consents/${consentId}`, await del()), 400, 'U009');
      });

      it("VRP on another TPP's consent: 403 U008; its consent and VRPs are 400 U011 to the other TPP", async () => {
        const victim = await authorisedVrpConsent();
        const vrpId = (await submit(victim.psuToken, vrpBody(victim.consentId, victim.body, '1.00'))).json<ObVrpResponse>().Data.DomesticVRPId;
        // The attacker holds a PSU token of its own VRP consent and names the victim's consent.
        const attacker = await authorisedVrpConsent({}, other);
        expectObError(await submit(attacker.psuToken, vrpBody(victim.consentId, victim.body, '1.00'), {}, other), 403, 'U008');
        // The victim's PSU token presented by the other TPP is not bound to its certificate.
        const stolen = await pisPost(other, '/domestic-vrps', { token: victim.psuToken, body: JSON.stringify(vrpBody(victim.consentId, victim.body, '1.00')) });
        assert.equal(stolen.status, 401, stolen.text);
        assert.equal(await vrpsOf(victim.consentId), 1);
        const token = await other.clientCredentialsToken('payments');
        for (const path of [`/domestic-vrp-consents/${victim.consentId}`, `/domestic-vrps/${vrpId}`, `/domestic-vrps/${vrpId}/payment-details`]) {
          expectObError(await checked('GET', `${PISP}${path}`, await pisGet(other, path, token)), 400, 'U011');
        }
        const deleted = await other.mtls(`${PISP}/domestic-vrp-consents/${victim.consentId}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}`, 'x-fapi-interaction-id': randomUUID() } });
        expectObError(await checked('DELETE', `${PISP}/domestic-vrp-consents/${victim.consentId}`, deleted), 400, 'U011');
        assert.equal((await readConsent(victim.consentId)).json<ObVrpConsentResponse>().Data.Status, 'AUTH');
      });

      it('mismatched Initiation or a payee other than the consent fixed: 400 U008, nothing paid', async () => {
        const { body, consentId, psuToken } = await authorisedVrpConsent();
        const base = vrpBody(consentId, body, '1.00');
        const otherInitiation = { ...base, Data: { ...base.Data, Initiation: { ...base.Data.Initiation, CreditorAccount: EXTERNAL_CREDITOR } } };
        expectObError(await submit(psuToken, otherInitiation), 400, 'U008');
        const noRemittance = { ...base, Data: { ...base.Data, Initiation: { CreditorAccount: bobCreditor } } };
        expectObError(await submit(psuToken, noRemittance), 400, 'U008');
        expectObError(await submit(psuToken, vrpBody(consentId, body, '1.00', EXTERNAL_CREDITOR)), 400, 'U008');
        assert.equal(await vrpsOf(consentId), 0);
      });

      it('a tampered VRP body (amount changed after signing): 400 U015', async () => {
        const { body, consentId, psuToken } = await authorisedVrpConsent();
        const signed = JSON.stringify(vrpBody(consentId, body, '2.00'));
        const tampered = signed.replace('"2.00"', '"99.00"');
        expectObError(await pisPost(tpp, '/domestic-vrps', { token: psuToken, body: tampered, signature: await tppSignature(tpp, signed) }).then((r) => checked('POST', `${PISP}/domestic-vrps`, r)), 400, 'U015');
        assert.equal(await vrpsOf(consentId), 0);
      });
    });

    if (dialect === 'postgres') {
      it('concurrent VRPs that together exceed the period limit: only those that fit are accepted', async () => {
        const { body, consentId, psuToken } = await authorisedVrpConsent({ limits: [{ PeriodType: 'Week', PeriodAlignment: 'Consent', Amount: '35.00', Currency: 'GBP' }] });
        const before = await balanceOf(aliceGbp);
        const responses = await Promise.all(Array.from({ length: 12 }, () => submit(psuToken, vrpBody(consentId, body, '10.00', bobCreditor))));
        const accepted = responses.filter((r) => r.status === 201);
        assert.equal(accepted.length, 3, responses.map((r) => r.status).join(','));
        for (const refused of responses.filter((r) => r.status !== 201)) expectObError(refused, 400, 'U014');
        assert.equal(await vrpsOf(consentId), 3);
        for (const response of accepted) await settled(response.json<ObVrpResponse>().Data.DomesticVRPId);
        assert.equal(await balanceOf(aliceGbp), before - 3000n);
      });
    }
  });
}
