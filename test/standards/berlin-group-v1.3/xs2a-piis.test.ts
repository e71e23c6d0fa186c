import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../../support/backends.ts';
import { startTestPortico, type TestPortico } from '../../support/start-test-portico.ts';
import { assertMatchesSchema, bgPiisConsentResponseSchema, bgPiisConsentSchema, bgResponseSchema } from '../../support/openapi.ts';
import { leastUsedPsu, psuCompletesSca, psusWithIban, XS2A, XS2A_REDIRECT_URI, Xs2aClient, type SandboxPsu } from '../../support/xs2a-client.ts';

const PIIS_CONSENTS = '/berlin-group/v2/consents/confirmation-of-funds';
interface Links { [name: string]: { href: string } }

for (const dialect of DIALECTS) {
  describe(`Berlin Group PIIS: confirmation-of-funds consent v2.0 and funds confirmations (${dialect})`, () => {
    let app: TestPortico;
    let tpp: Xs2aClient;
    let psus: Array<{ psu: SandboxPsu; iban: string }>;
    let psu: SandboxPsu;
    let iban: string;

    before(async () => {
      app = await startTestPortico(dialect, {}, { seedSandbox: true });
      tpp = await Xs2aClient.onboard(app, 'Kartendeckung GmbH');
      psus = await psusWithIban(app);
    });
    after(async () => {
      await app?.close();
    });
    beforeEach(() => {
      ({ psu, iban } = leastUsedPsu(psus));
    });

    const confirm = (consentId: string, amount: string, account = iban) =>
      tpp.request(`${XS2A}/funds-confirmations`, { body: { account: { iban: account }, instructedAmount: { currency: 'EUR', amount } }, headers: { 'consent-id': consentId } });

    it('consent → redirect SCA → yes for a small amount, no for more than the account holds; the consent as the v2.0 file defines it', async () => {
      const created = await tpp.request(PIIS_CONSENTS, { body: { account: { iban } }, psuPresent: true, headers: { 'tpp-redirect-uri': XS2A_REDIRECT_URI } });
      assert.equal(created.status, 201, created.text);
      // The file's 201 is a oneOf of the single and the multilevel SCA response, whose shapes admit
      // the same bodies (both open, both links maps open), so no body matches exactly one: the
      // single-SCA response this bank gives is checked as itself.
      assertMatchesSchema(created.json(), bgPiisConsentSchema('ConsentsConfirmationOfFundsResponse'));
      const { consentId, _links } = created.json<{ consentId: string; _links: Links }>();
      assert.equal(await psuCompletesSca(app, _links['scaRedirect']!.href, psu), XS2A_REDIRECT_URI);
      const read = await tpp.request(`${PIIS_CONSENTS}/${consentId}`);
      assertMatchesSchema(read.json(), bgPiisConsentResponseSchema('/v2/consents/confirmation-of-funds/{consentId}', 'get', 200));
      assert.equal(read.json<{ consentStatus: string }>().consentStatus, 'valid');

      const yes = await confirm(consentId, '0.01');
      assert.equal(yes.status, 200, yes.text);
      assertMatchesSchema(yes.json(), bgResponseSchema('/v1/funds-confirmations', 'post', 200));
      assert.deepEqual(yes.json(), { fundsAvailable: true });
      assert.deepEqual((await confirm(consentId, '999999999.00')).json(), { fundsAvailable: false });
    });

    it('attack: a consent for one account answers for no other (401 CONSENT_INVALID), and not for another TPP (400 CONSENT_UNKNOWN)', async () => {
      const created = await tpp.request(PIIS_CONSENTS, { body: { account: { iban } }, psuPresent: true, headers: { 'tpp-redirect-uri': XS2A_REDIRECT_URI } });
      const { consentId, _links } = created.json<{ consentId: string; _links: Links }>();
      await psuCompletesSca(app, _links['scaRedirect']!.href, psu);
      const otherAccount = psus.find((p) => p.iban !== iban)!.iban;
      const wrongAccount = await confirm(consentId, '1.00', otherAccount);
      assert.equal(wrongAccount.status, 401, wrongAccount.text);
      assert.equal(wrongAccount.json<{ tppMessages: Array<{ code: string }> }>().tppMessages[0]!.code, 'CONSENT_INVALID');
      const other = await Xs2aClient.onboard(app, 'Fremdabfrage GmbH');
      const foreign = await other.request(`${XS2A}/funds-confirmations`, { body: { account: { iban }, instructedAmount: { currency: 'EUR', amount: '1.00' } }, headers: { 'consent-id': consentId } });
      assert.equal(foreign.status, 400, foreign.text);
      assert.equal(foreign.json<{ tppMessages: Array<{ code: string }> }>().tppMessages[0]!.code, 'CONSENT_UNKNOWN');
    });

    it('a consent not yet authorised answers nothing (401 CONSENT_INVALID); the TPP can withdraw it', async () => {
      const created = await tpp.request(PIIS_CONSENTS, { body: { account: { iban } }, psuPresent: true, headers: { 'tpp-redirect-uri': XS2A_REDIRECT_URI } });
      const { consentId } = created.json<{ consentId: string }>();
      const refused = await confirm(consentId, '1.00');
      assert.equal(refused.status, 401, refused.text);
      assert.equal((await tpp.request(`${PIIS_CONSENTS}/${consentId}`, { method: 'DELETE' })).status, 204);
      assert.equal((await tpp.request(`${PIIS_CONSENTS}/${consentId}/status`)).json<{ consentStatus: string }>().consentStatus, 'terminatedByTpp');
    });
  });
}
