import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bgResponseSchema, bgSchema } from '../../support/openapi.ts';

// The file's own example `consentResponseExample1a_Redirect` (components/examples), verbatim.
const CONSENT_CREATED = {
  consentStatus: 'received',
  consentId: '1234-wertiq-983',
  _links: {
    scaRedirect: { href: 'https://www.testbank.com/authentication/1234-wertiq-983' },
    status: { href: '/psd2/v1/consents/1234-wertiq-983/status' },
    scaStatus: { href: '/psd2/v1/consents/1234-wertiq-983/authorisations/123auth567' },
  },
};

describe('validators of the official NextGenPSD2 v1.3.12 OpenAPI file (test/support/openapi.ts)', () => {
  it('POST /v1/consents 201: the file\'s own example passes, a body without consentStatus fails', () => {
    const validate = bgResponseSchema('/v1/consents', 'post', 201);
    assert.ok(validate(CONSENT_CREATED), JSON.stringify(validate.errors));
    const { consentStatus: _omitted, ...withoutStatus } = CONSENT_CREATED;
    assert.equal(validate(withoutStatus), false);
    assert.ok(validate.errors?.some((error) => error.keyword === 'required' && error.params['missingProperty'] === 'consentStatus'));
  });

  it('GET /v1/consents/{consentId} 403: the error body is checked, its codes are left open by the file', () => {
    const validate = bgResponseSchema('/v1/consents/{consentId}', 'get', 403);
    assert.ok(validate({ tppMessages: [{ category: 'ERROR', code: 'CONSENT_UNKNOWN', text: 'x' }] }), JSON.stringify(validate.errors));
    // 1.3.12 declares MessageCode403_AIS (and every other per-status code) as a plain string,
    // with no enum: an unlisted code is valid as far as the file goes.
    assert.ok(validate({ tppMessages: [{ category: 'ERROR', code: 'NOT_A_BERLIN_GROUP_CODE', text: 'x' }] }));
    // What it does constrain: the category, a required code, and the text's length.
    assert.equal(validate({ tppMessages: [{ category: 'FATAL', code: 'CONSENT_UNKNOWN' }] }), false);
    assert.equal(validate({ tppMessages: [{ category: 'ERROR', text: 'x' }] }), false);
    assert.equal(validate({ tppMessages: [{ category: 'ERROR', code: 'CONSENT_UNKNOWN', text: 'x'.repeat(501) }] }), false);
  });

  it('takes parameterised templates as the file writes them, and the problem+json variant on request', () => {
    const validate = bgResponseSchema('/v1/{payment-service}/{payment-product}', 'post', 201);
    assert.ok(validate({ transactionStatus: 'RCVD', paymentId: '1234-wertiq-983', _links: { scaRedirect: { href: 'https://www.testbank.com/asdfasdfasdf' } } }), JSON.stringify(validate.errors));
    assert.equal(validate({ transactionStatus: 'NOT_A_STATUS', paymentId: '1', _links: {} }), false);
    const problem = bgResponseSchema('/v1/consents/{consentId}', 'get', 403, 'application/problem+json');
    assert.equal(problem({ tppMessages: [] }), false);
  });

  it('refuses what the file does not define: an unlisted status, a status without a JSON body, a concrete path', () => {
    assert.throws(() => bgResponseSchema('/v1/consents/{consentId}', 'get', 418), /lists no status 418/);
    assert.throws(() => bgResponseSchema('/v1/consents/{consentId}', 'get', 500), /no application\/json body/);
    assert.throws(() => bgResponseSchema('/v1/consents/abc', 'get', 200), /no path/);
  });

  it('bgSchema validates against one component schema, references resolved in the file', () => {
    const validate = bgSchema('consents');
    const request = { access: { balances: [{ iban: 'DE40100100103307118608' }] }, recurringIndicator: true, validUntil: '2030-12-31', frequencyPerDay: 4, combinedServiceIndicator: false };
    assert.ok(validate(request), JSON.stringify(validate.errors));
    assert.equal(validate({ ...request, frequencyPerDay: 0 }), false);
    assert.equal(validate({ ...request, access: { balances: [{ iban: 'not an iban' }] } }), false);
    assert.throws(() => bgSchema('OBReadConsent1'), /no component schema/);
  });
});
