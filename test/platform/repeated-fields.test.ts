import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyRequest } from 'fastify';
import { repeatedField } from '../../src/platform/http/index.ts';

const request = (query: unknown, body: unknown, contentType?: string) => ({ query, body, headers: contentType ? { 'content-type': contentType } : {} }) as unknown as FastifyRequest;
const FORM = 'application/x-www-form-urlencoded';

describe('repeatedField', () => {
  it('names a query or form field given more than once', () => {
    assert.equal(repeatedField(request({ q: ['a', 'b'] }, undefined)), 'q');
    assert.equal(repeatedField(request({ q: 'a' }, { otp: ['1', '2'], csrf: 'x' }, FORM)), 'otp');
    assert.equal(repeatedField(request({ q: 'a' }, { otp: '1' }, `${FORM}; charset=utf-8`)), undefined);
  });

  it('lets a list field repeat, and leaves a JSON body to its route', () => {
    assert.equal(repeatedField(request({}, { accounts: ['a', 'b'], otp: '1' }, FORM), new Set(['accounts'])), undefined);
    assert.equal(repeatedField(request({}, { accounts: ['a', 'b'] }, FORM)), 'accounts');
    assert.equal(repeatedField(request({}, { response: { transports: ['usb'] }, ids: ['a', 'b'] }, 'application/json')), undefined);
    assert.equal(repeatedField(request(undefined, null, FORM)), undefined);
  });
});
