import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { JSONWebKeySet } from 'jose';
import { consentsOf } from '../support/consents-module.ts';
import { generateTotp } from '../../src/modules/psu-identity/index.ts';
import { createSandboxModule } from '../../src/modules/sandbox/index.ts';
import { DIALECTS } from '../support/backends.ts';
import type { TestPortico } from '../support/start-test-portico.ts';
import type { TppClient } from '../support/tpp-client.ts';
import type { HttpsResponse } from '../support/https-client.ts';
import { expectObError } from '../support/ob-errors.ts';
import type { SandboxPsuIdentity } from '../support/ais-access.ts';
import { authorisedConsent, checkPisResponse, PISP, pisPost, startPisFixture, type ObCreditor } from '../support/pis-access.ts';

/** One `<section class="access">` of the dashboard (current, or `ended` in the history), by its accessible name. */
function section(page: string, name: string, where: 'current' | 'history' = 'current'): string | undefined {
  const start = page.indexOf(`<section class="${where === 'current' ? 'access' : 'access ended'}" aria-label="${name}">`);
  return start < 0 ? undefined : page.slice(start, page.indexOf('</section>', start));
}

/** A UK.OBIE.SortCodeAccountNumber identification as the pages show it: 12-34-56 12345678. */
const sortCodeAndNumber = (identification: string) =>
  `${identification.slice(0, 2)}-${identification.slice(2, 4)}-${identification.slice(4, 6)} ${identification.slice(6)}`;

/** The text of an HTML fragment, tags dropped and whitespace collapsed. */
const text = (fragment: string) => fragment.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();

/**
 * The PSU's access dashboard over plain HTTP (the browser flow is test/e2e): payment consents are
 * listed with what they pay — a VRP consent with every control parameter, how much of each limit
 * the current period has used, and a button that stops it for the TPP's very next VRP.
 */
for (const dialect of DIALECTS) {
  describe(`PSU access dashboard: payment and VRP consents (${dialect})`, () => {
    let app: TestPortico;
    let tpp: TppClient;
    let alice: SandboxPsuIdentity;
    let aliceGbp: string;
    let bobCreditor: ObCreditor;
    let bankJwks: JSONWebKeySet;
    let cookie = '';
    let csrf = '';
    let vrp: { consentId: string; psuToken: string; body: ReturnType<typeof vrpConsentBody> };
    let single: { consentId: string };
    const db = () => app.portico.database.db;
    const validTo = new Date(Date.UTC(new Date().getUTCFullYear() + 1, 5, 30, 12, 0, 0));

    function vrpConsentBody() {
      return {
        Data: {
          ControlParameters: {
            ValidToDateTime: validTo.toISOString().replace(/\.\d{3}Z$/, '+00:00'),
            MaximumIndividualAmount: { Amount: '100.00', Currency: 'GBP' },
            PeriodicLimits: [
              { PeriodType: 'Month', PeriodAlignment: 'Consent', Amount: '1000.00', Currency: 'GBP' },
              { PeriodType: 'Week', PeriodAlignment: 'Calendar', Amount: '300.00', Currency: 'GBP' },
            ],
            VRPType: ['UK.OBIE.VRPType.Sweeping'],
            PSUAuthenticationMethods: ['UK.OBIE.SCANotRequired'],
          },
          Initiation: { CreditorAccount: bobCreditor, RemittanceInformation: { Unstructured: ['Sweep to savings'] } },
        },
        Risk: { PaymentContextCode: 'TransferToSelf' },
      };
    }
    const vrpSubmission = (amount: string) => ({
      Data: {
        ConsentId: vrp.consentId,
        PSUAuthenticationMethod: 'UK.OBIE.SCANotRequired',
        PSUInteractionType: 'OffSession',
        VRPType: 'UK.OBIE.VRPType.Sweeping',
        Initiation: vrp.body.Data.Initiation,
        Instruction: {
          InstructionIdentification: `INSTR-${randomUUID().slice(0, 8)}`,
          EndToEndIdentification: `E2E-${randomUUID().slice(0, 8)}`,
          LocalInstrument: 'UK.OBIE.FPS',
          InstructedAmount: { Amount: amount, Currency: 'GBP' },
          CreditorAccount: bobCreditor,
        },
      },
      Risk: vrp.body.Risk,
    });
    const submitVrp = async (amount: string) =>
      checkPisResponse('vrp', bankJwks, 'POST', `${PISP}/domestic-vrps`, await pisPost(tpp, '/domestic-vrps', { token: vrp.psuToken, body: JSON.stringify(vrpSubmission(amount)) }));

    /** A form post on the PSU's pages with the session cookie. */
    const form = (pathname: string, fields: Record<string, string>) =>
      app.request(pathname, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
        body: new URLSearchParams(fields).toString(),
      });
    const sessionCookieOf = (response: HttpsResponse) => {
      const set = ([] as string[]).concat(response.headers['set-cookie'] ?? []).find((c) => c.startsWith('portico_psu=') && !c.startsWith('portico_psu=;'));
      assert.ok(set, `a session cookie: ${JSON.stringify(response.headers['set-cookie'])}`);
      return set.split(';')[0]!;
    };
    const dashboard = async () => {
      const response = await app.request('/psu/access', { headers: { cookie } });
      assert.equal(response.status, 200, response.text);
      return response.text;
    };

    before(async () => {
      let bobGbp: string;
      ({ app, tpp, alice, aliceGbp, bobGbp, bobCreditor, bankJwks } = await startPisFixture(dialect, { tpp: 'Sweeping Ltd', other: 'Other Sweeper Ltd' }));
      void bobGbp;
      // A VRP consent the PSU authorised, with one VRP made under it.
      const body = vrpConsentBody();
      const checkVrp = (method: string, pathname: string, response: HttpsResponse) => checkPisResponse('vrp', bankJwks, method, pathname, response);
      vrp = { body, ...(await authorisedConsent(app, tpp, checkVrp, { path: '/domestic-vrp-consents', body, psu: alice, accountId: aliceGbp })) };
      const made = await submitVrp('12.34');
      assert.equal(made.status, 201, made.text);
      // A one-off payment, made: its consent is used (history).
      const checkPis = (method: string, pathname: string, response: HttpsResponse) => checkPisResponse('payment-initiation', bankJwks, method, pathname, response);
      const paymentBody = {
        Data: {
          Initiation: {
            InstructionIdentification: `ONE-${randomUUID().slice(0, 8)}`,
            EndToEndIdentification: `ONE-${randomUUID().slice(0, 8)}`,
            LocalInstrument: 'UK.OBIE.FPS',
            InstructedAmount: { Amount: '7.50', Currency: 'GBP' },
            CreditorAccount: bobCreditor,
          },
        },
        Risk: { PaymentContextCode: 'TransferToThirdParty' },
      };
      const payment = await authorisedConsent(app, tpp, checkPis, { path: '/domestic-payment-consents', body: paymentBody, psu: alice, accountId: aliceGbp });
      single = { consentId: payment.consentId };
      const paid = await checkPis(
        'POST',
        `${PISP}/domestic-payments`,
        await pisPost(tpp, '/domestic-payments', { token: payment.psuToken, body: JSON.stringify({ Data: { ConsentId: payment.consentId, Initiation: paymentBody.Data.Initiation }, Risk: paymentBody.Risk }) }),
      );
      assert.equal(paid.status, 201, paid.text);

      // The PSU logs in to online banking: password, then the one-time code.
      const username = (await db().selectFrom('psu_users').select('username').where('id', '=', alice.psuId).executeTakeFirstOrThrow()).username;
      const psu = (await createSandboxModule({ db: db() }).listPsus()).find((p) => p.username === username)!;
      const login = await form('/psu/login', { username: psu.username, password: psu.password });
      assert.equal(login.status, 303, login.text);
      cookie = sessionCookieOf(login);
      const otp = await form('/psu/login/otp', { otp: generateTotp(psu.totpSecret, new Date()) });
      assert.equal(otp.status, 303, otp.text);
      assert.equal(otp.headers.location, '/psu/access');
      cookie = sessionCookieOf(otp);
      csrf = /<meta name="csrf-token" content="([^"]+)">/.exec(await dashboard())![1]!;
    });
    after(async () => {
      await app?.close();
    });

    it('lists the VRP consent with every limit, payee, validity and this period’s use, and the one-off payment as history without a stop button', async () => {
      const page = await dashboard();
      const recurring = section(page, 'Recurring payments by Sweeping Ltd');
      assert.ok(recurring, page);
      const created = (await consentsOf(db()).find(vrp.consentId))!.createdAt;
      const anchor = created.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
      const until = validTo.toLocaleString('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/London' });
      assert.equal(
        text(recurring.slice(recurring.indexOf('<dl'))).replace(/ Stop recurring payments by Sweeping Ltd$/, ''),
        [
          'Largest single payment £100.00',
          `Limits Up to £1,000.00 each month, counted from ${anchor} Up to £300.00 each calendar week (Monday to Sunday)`,
          'Payee Bob',
          `Payee account ${sortCodeAndNumber(bobCreditor.Identification)}`,
          'Reference Sweep to savings',
          'From Now',
          `Until ${until}`,
          'Used this period £12.34 of £1,000.00 this month £12.34 of £300.00 this calendar week',
          `Since ${new Date().toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' })}`,
          'Status Active',
        ].join(' '),
      );
      // Stopping is confirmed on a page of its own first.
      assert.match(recurring, new RegExp(`<form method="get" action="/psu/access/${vrp.consentId}/stop">`));

      assert.equal(section(page, 'Payment by Sweeping Ltd'), undefined, 'a payment made is not current');
      const history = section(page, 'Payment by Sweeping Ltd', 'history');
      assert.ok(history, page);
      assert.match(text(history), /^Payment by Sweeping Ltd Amount £7\.50 Payee Bob Allowed .* Ended .* Why Payment made$/);
      assert.doesNotMatch(history, /<form/, 'a one-off payment has no stop button');
      assert.doesNotMatch(page, new RegExp(`/psu/access/${single.consentId}/revoke`));
    });

    it('a forged stop of a one-off payment consent, or a stop without the anti-forgery token, changes nothing', async () => {
      const forgedSingle = await form(`/psu/access/${single.consentId}/revoke`, { csrf, decision: 'stop' });
      assert.equal(forgedSingle.status, 200);
      assert.equal((await consentsOf(db()).find(single.consentId))!.status, 'consumed');
      const noConfirmation = await app.request(`/psu/access/${single.consentId}/stop`, { headers: { cookie } });
      assert.equal(noConfirmation.status, 303, 'no confirmation page for what cannot be stopped');
      const noToken = await form(`/psu/access/${vrp.consentId}/revoke`, { decision: 'stop' });
      assert.equal(noToken.status, 303);
      assert.equal((await consentsOf(db()).find(vrp.consentId))!.status, 'authorised');
      const again = await submitVrp('1.00');
      assert.equal(again.status, 201, again.text);
    });

    it('asks for confirmation before stopping; keeping them changes nothing', async () => {
      const confirm = await app.request(`/psu/access/${vrp.consentId}/stop`, { headers: { cookie } });
      assert.equal(confirm.status, 200, confirm.text);
      assert.match(confirm.text, /<h1>Stop recurring payments by Sweeping Ltd\?<\/h1>/);
      assert.match(confirm.text, new RegExp(`<form method="post" action="/psu/access/${vrp.consentId}/revoke"><input type="hidden" name="csrf" value="${csrf}">`));
      assert.match(confirm.text, /<button class="danger" type="submit" name="decision" value="stop">Stop recurring payments<\/button>/);
      assert.match(confirm.text, /<button class="secondary" type="submit" name="decision" value="keep">Keep recurring payments<\/button>/);
      const kept = await form(`/psu/access/${vrp.consentId}/revoke`, { csrf, decision: 'keep' });
      assert.equal(kept.status, 303);
      assert.equal(kept.headers.location, '/psu/access');
      assert.equal((await consentsOf(db()).find(vrp.consentId))!.status, 'authorised');
    });

    it('the PSU stops the recurring payments; the TPP’s next VRP is refused with the OB error for a revoked consent', async () => {
      // The grant's revocation travels by the outbox; held back here, so the refusal below is the
      // consent's own (read fresh on every call), not the access token's.
      await app.portico.outbox.stop();
      try {
        const stopped = await form(`/psu/access/${vrp.consentId}/revoke`, { csrf, decision: 'stop' });
        assert.equal(stopped.status, 200, stopped.text);
        assert.match(stopped.text, /Recurring payments by Sweeping Ltd have stopped\./);
        assert.equal(section(stopped.text, 'Recurring payments by Sweeping Ltd'), undefined, 'no longer current');
        const entry = section(stopped.text, 'Recurring payments by Sweeping Ltd', 'history');
        assert.ok(entry, stopped.text);
        assert.match(text(entry), /Ended .* Why Stopped by you$/);
        assert.doesNotMatch(entry, /<form/);
        assert.doesNotMatch(entry, /Used this period/, 'no use to count once stopped');

        const refused = await submitVrp('1.00');
        expectObError(refused, 403, 'U009');
        assert.equal((await consentsOf(db()).find(vrp.consentId))!.revokedBy, 'PSU');
      } finally {
        app.portico.outbox.start();
      }
    });
  });
}
