import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { AISP } from '../../support/ais-access.ts';
import { DIALECTS } from '../../support/backends.ts';
import type { HttpsResponse } from '../../support/https-client.ts';
import { assertMatchesSchema, obSchema } from '../../support/openapi.ts';
import { PISP, pisGet, pisPost, startPisFixture, tppSignature, type PisFixture } from '../../support/pis-access.ts';

const errorResponse = obSchema('payment-initiation', 'OBErrorResponse1');

/** The OB error body with `status`, the one error `code`, and (when given) its Path. */
function expectObError(response: HttpsResponse, status: number, code: string, path?: string): void {
  assert.equal(response.status, status, response.text);
  const body = response.json<{ Code: string; Errors: Array<{ ErrorCode: string; Path?: string }> }>();
  assertMatchesSchema(body, errorResponse);
  assert.equal(body.Code.split(' ')[0], String(status));
  assert.equal(body.Errors[0]?.ErrorCode, code, response.text);
  if (path !== undefined) assert.equal(body.Errors[0]?.Path, path, response.text);
}

for (const dialect of DIALECTS) {
  describe(`input storage cannot hold is refused at the edge (${dialect})`, () => {
    let f: PisFixture;
    let token: string;
    const consentBody = (instructionIdentification: string) =>
      `{"Data":{"Initiation":{"InstructionIdentification":${JSON.stringify(instructionIdentification)},"EndToEndIdentification":"e2e","InstructedAmount":{"Amount":"1.00","Currency":"GBP"},"CreditorAccount":${JSON.stringify(f.bobCreditor)}}},"Risk":{}}`;

    before(async () => {
      f = await startPisFixture(dialect, { tpp: `Edge TPP ${dialect}`, other: `Other Edge TPP ${dialect}` });
      token = await f.tpp.clientCredentialsToken('payments');
    });
    after(async () => {
      await f?.app.close();
    });

    it('attack: NUL byte in a payment string field: 400 U002 naming the field, and the server keeps serving', async () => {
      const response = await pisPost(f.tpp, '/domestic-payment-consents', { token, body: consentBody('pay\u0000ment') });
      expectObError(response, 400, 'U002', 'Data.Initiation.InstructionIdentification');
      const next = await pisPost(f.tpp, '/domestic-payment-consents', { token, body: consentBody('payment') });
      assert.equal(next.status, 201, next.text);
    });

    it('attack: lone surrogate in a payment string field (escaped and as raw bytes of a surrogate)', async () => {
      expectObError(await pisPost(f.tpp, '/domestic-payment-consents', { token, body: consentBody('x\ud800y') }), 400, 'U002', 'Data.Initiation.InstructionIdentification');
      // ED A0 80 is a surrogate encoded as if it were UTF-8: not UTF-8 at all (RFC 3629 §3).
      const bytes = Buffer.concat([Buffer.from(consentBody('x').slice(0, 60)), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from(consentBody('x').slice(60))]);
      const response = await f.app.request(`${PISP}/domestic-payment-consents`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-idempotency-key': randomUUID(), 'x-jws-signature': await tppSignature(f.tpp, bytes.toString('latin1')) },
        body: bytes,
        cert: f.tpp.tpp.transport.certificatePem,
        key: f.tpp.tpp.transport.privateKeyPem,
      });
      expectObError(response, 400, 'U010');
    });

    it('attack: NUL byte in a member name and in an AIS consent body', async () => {
      expectObError(await pisPost(f.tpp, '/domestic-payment-consents', { token, body: `{"Data\\u0000":{},"Risk":{}}` }), 400, 'U002');
      const aisToken = await f.tpp.clientCredentialsToken('accounts');
      const response = await f.tpp.mtls(`${AISP}/account-access-consents`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${aisToken}`, 'x-fapi-interaction-id': randomUUID() },
        body: JSON.stringify({ Data: { Permissions: ['ReadAccountsDetail'], ExpirationDateTime: '2030-01-01T00:00:00\u0000Z' }, Risk: {} }),
      });
      expectObError(response, 400, 'U002', 'Data.ExpirationDateTime');
    });

    it('attack: %00 in a path id: 400 U002 naming the parameter', async () => {
      expectObError(await pisGet(f.tpp, '/domestic-payment-consents/pdc-%00', token), 400, 'U002', 'params.ConsentId');
      expectObError(await pisGet(f.tpp, '/domestic-payments/%00', token), 400, 'U002');
    });

    it('attack: text/plain body with a valid x-jws-signature: 415 U006', async () => {
      const body = consentBody('plain');
      const response = await f.tpp.mtls(`${PISP}/domestic-payment-consents`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', authorization: `Bearer ${token}`, 'x-idempotency-key': randomUUID(), 'x-jws-signature': await tppSignature(f.tpp, body) },
        body,
      });
      expectObError(response, 415, 'U006');
    });

    it('attack: duplicate JSON keys in a signed payment (the signature covers both amounts): 400 U010, nothing staged', async () => {
      const body = consentBody('dup').replace('"Amount":"1.00"', '"Amount":"1.00","Amount":"9999.00"');
      const before = await f.app.portico.database.db.selectFrom('consents').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      expectObError(await pisPost(f.tpp, '/domestic-payment-consents', { token, body }), 400, 'U010', 'Data.Initiation.InstructedAmount.Amount');
      const after = await f.app.portico.database.db.selectFrom('consents').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(after.n), Number(before.n));
    });

    it('attack: NUL in a sandbox onboarding field and a PSU login form: 400, not 500', async () => {
      const onboarding = await f.app.request('/sandbox/v1/tpps', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ organisationName: 'ok', roles: ['AISP'], redirectUris: ['https://tpp.example/c\u0000b'] }),
      });
      expectObError(onboarding, 400, 'U002', 'redirectUris[0]');
      const login = await f.app.request('/psu/login', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=a%00b&password=x' });
      assert.equal(login.status, 400, login.text);
    });

    it('attack: NUL in a client_id at the token endpoint and the authorisation endpoint: OAuth errors, not server_error', async () => {
      const tokenResponse = await f.tpp.mtls('/token', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&scope=payments&client_id=a%00b',
      });
      assert.equal(tokenResponse.status, 401, tokenResponse.text);
      assert.equal(tokenResponse.json<{ error: string }>().error, 'invalid_client');
      const authorisation = await f.app.request('/auth?client_id=a%00b&response_type=code&scope=openid');
      // An unknown client cannot be redirected to: the bank's own error page (an OAuth 400, not a 500).
      assert.equal(authorisation.status, 400, authorisation.text);
      assert.match(String(authorisation.headers['content-type']), /^text\/html/);
      assert.match(authorisation.text, /We could not start this request/);
      assert.doesNotMatch(authorisation.text, /server_error/);
    });
  });
}
