import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { runConcurrently } from '../../../src/standards/uk-obie/v4.0/security/fapi-checks.ts';
import type { SecurityStep } from '../../../src/standards/uk-obie/v4.0/security/security-context.ts';

function fakeReply() {
  const headers: Record<string, string> = {};
  const reply = { header: (name: string, value: string) => ((headers[name] = value), reply) };
  return { reply: reply as unknown as FastifyReply, headers };
}
const refuse = (message: string, header?: [string, string], delayMs = 0): SecurityStep => async (_request, reply) => {
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  if (header) reply.header(header[0], header[1]);
  throw new Error(message);
};
const pass = (mark: string[], name: string): SecurityStep => async () => {
  mark.push(name);
};
const request = {} as FastifyRequest;

describe('runConcurrently', () => {
  it('passes when every step passes, having run each', async () => {
    const ran: string[] = [];
    await runConcurrently(pass(ran, 'a'), pass(ran, 'b'))(request, fakeReply().reply);
    assert.deepEqual(ran.sort(), ['a', 'b']);
  });

  it('refuses with the first failing step in the order given, even when a later one fails first', async () => {
    const { reply, headers } = fakeReply();
    await assert.rejects(runConcurrently(refuse('certificate', undefined, 20), refuse('token', ['www-authenticate', 'Bearer error="invalid_token"']))(request, reply), /certificate/);
    assert.deepEqual(headers, {}, 'the headers of a step whose refusal is not sent are dropped');
  });

  it("sends the refusing step's headers", async () => {
    const ran: string[] = [];
    const { reply, headers } = fakeReply();
    await assert.rejects(runConcurrently(pass(ran, 'certificate'), refuse('token', ['www-authenticate', 'Bearer']))(request, reply), /token/);
    assert.deepEqual(headers, { 'www-authenticate': 'Bearer' });
  });
});
