import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkScript } from '../../../src/cli/conformance/check-assertions.ts';
import { jsonPath } from '../../../src/cli/conformance/json-path.ts';
import { loadManifests, type ConformanceScript } from '../../../src/cli/conformance/manifest.ts';

const { assertions } = loadManifests();
const script = (fields: Partial<ConformanceScript>): ConformanceScript =>
  ({ id: 'T', description: '', detail: '', refURI: '', method: 'get', uri: '/x', uriImplementation: 'mandatory', resource: 'R', parameters: {}, ...fields }) as ConformanceScript;
const response = (status: number, body: unknown, headers: Record<string, string> = {}) => ({ status, headers, text: JSON.stringify(body) });
const same = (text: string) => text;

describe('conformance assertions (assertions.json of suite v1.9.1)', () => {
  it('reads GJSON paths with array queries', () => {
    const body = { Errors: [{ ErrorCode: 'U002' }, { ErrorCode: 'U019', Path: 'x' }] };
    assert.equal(jsonPath(body, 'Errors.#[ErrorCode="U019"].Path'), 'x');
    assert.equal(jsonPath(body, 'Errors.#[ErrorCode="U099"].Path'), undefined);
    assert.equal(jsonPath({ Data: { FundsAvailableResult: { FundsAvailable: true } } }, 'Data.FundsAvailableResult.FundsAvailable'), true);
  });

  it('passes a status and field assertion that hold, and says why one fails', () => {
    const ok = checkScript(script({ asserts: ['OB3GLOAssertOn201', 'OB3DOPAssertAwaitingAuthorisationV4'] }), assertions, response(201, { Data: { Status: 'AWAU' } }), same);
    assert.equal(ok.passed, true);
    const ko = checkScript(script({ asserts: ['OB3GLOAssertOn201', 'OB3DOPAssertAwaitingAuthorisationV4'] }), assertions, response(201, { Data: { Status: 'AUTH' } }), same);
    assert.equal(ko.passed, false);
    assert.match(ko.outcomes.find((o) => !o.passed)!.detail, /Data.Status is "AUTH", expected "AWAU"/);
  });

  it('asserts_one_of needs one of them', () => {
    const s = script({ asserts: ['OB3GLOAssertOn400'], asserts_one_of: ['OB3GLOAssertSignatureInvalidClaimErrorCodeV4', 'OB3GLOAssertSignatureMissingClaimErrorCodeV4'] });
    assert.equal(checkScript(s, assertions, response(400, { Errors: [{ ErrorCode: 'U017' }] }), same).passed, true);
    assert.equal(checkScript(s, assertions, response(400, { Errors: [{ ErrorCode: 'U002' }] }), same).passed, false);
  });

  it('asserts_last_if_all requires the last only when the others hold', () => {
    const s = script({ asserts_last_if_all: ['OB3GLOAssertNoNumberOfPayments', 'OB3GLOAssertOn403'] });
    assert.equal(checkScript(s, assertions, response(200, { Data: { Initiation: { NumberOfPayments: '3' } } }), same).passed, true);
    assert.equal(checkScript(s, assertions, response(200, { Data: { Initiation: {} } }), same).passed, false);
  });

  it('plays back the interaction id it sent', () => {
    const s = script({ asserts: ['OB3GLOAssertFAPIPlayBack'] });
    const resolve = (text: string) => text.replace('$x-fapi-interaction-id', 'f5a10e5e');
    assert.equal(checkScript(s, assertions, response(200, {}, { 'x-fapi-interaction-id': 'f5a10e5e' }), resolve).passed, true);
    assert.equal(checkScript(s, assertions, response(200, {}, { 'x-fapi-interaction-id': 'other' }), resolve).passed, false);
  });
});
