import { describe, before, after, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { Agent } from 'undici';
import { parse as parseYaml } from 'yaml';
import { CoreUnavailableError, RemoteCoreBanking } from '../../src/core/adapters/remote/index.ts';
import { fund, openAccount, openCardAccount } from '../support/ledger-fixtures.ts';
import { startTestCoreGateway, type TestCoreGateway } from '../support/core-gateway.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';
import { coreContract } from './core-contract.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const CONTRACT = parseYaml(fs.readFileSync(path.resolve(import.meta.dirname, '../../docs/core-gateway.openapi.yaml'), 'utf8')) as Record<string, unknown>;
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ ...CONTRACT, $id: 'core-gateway' });
const schemaOf = (name: string) => {
  const validate = ajv.getSchema(`core-gateway#/components/schemas/${name}`);
  if (!validate) throw new Error(`no schema ${name} in the core gateway contract`);
  return validate;
};

describe('core contract: the remote core adapter against the reference core gateway (PostgreSQL, mutual TLS)', () => {
  let gateway: TestCoreGateway;
  let core: RemoteCoreBanking;
  let clearing: string;

  before(async () => {
    gateway = await startTestCoreGateway();
    core = new RemoteCoreBanking(gateway.connect());
    clearing = await openAccount(gateway.coreDb.db, { internal: true });
    await gateway.coreDb.db.updateTable('bank_accounts').set({ id: 'gl-clearing-GBP' }).where('id', '=', clearing).execute();
    clearing = 'gl-clearing-GBP';
  });
  after(async () => {
    await gateway?.close();
  });

  coreContract(() => ({
    core,
    async openFundedAccount(balanceMinor) {
      const accountId = await openAccount(gateway.coreDb.db);
      if (balanceMinor > 0n) await fund(gateway.coreDb.db, clearing, accountId, balanceMinor);
      return { accountId, scheme: 'SortCodeAccountNumber', identification: accountId };
    },
    openCardAccount: () => openCardAccount(gateway.coreDb.db, clearing),
  }));

  /** A raw call to the gateway, as any client of the contract makes it. */
  async function raw(method: string, pathAndQuery: string, body?: unknown, headers: Record<string, string> = {}) {
    const agent = new Agent({ connect: { ca: gateway.ca.certificatePem, cert: gateway.client.certPem, key: gateway.client.keyPem } });
    try {
      const response = await agent.request({
        origin: new URL(gateway.gateway.url).origin,
        path: `${new URL(gateway.gateway.url).pathname}/${pathAndQuery}`,
        method: method as 'GET',
        headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await response.body.text();
      return { status: response.statusCode, contentType: String(response.headers['content-type']), json: text ? (JSON.parse(text) as unknown) : undefined };
    } finally {
      await agent.close();
    }
  }

  it('answers in the shapes docs/core-gateway.openapi.yaml publishes (accounts, balances, transactions, payments, changes, problems)', async () => {
    const debtor = await openAccount(gateway.coreDb.db);
    await fund(gateway.coreDb.db, clearing, debtor, 10_00n);
    const submission = { externalRef: `wire-${debtor}`, kind: 'domestic-payment', debtor: { accountId: debtor }, creditor: { name: 'Payee', scheme: 'SortCodeAccountNumber', identification: '40400412345678' }, amount: { amountMinor: '125', currency: 'GBP' }, requestedAt: new Date().toISOString() };
    const checks: Array<[string, Awaited<ReturnType<typeof raw>>]> = [
      ['Account', await raw('GET', `accounts/${debtor}`)],
      ['Balances', await raw('GET', `accounts/${debtor}/balances`)],
      ['HolderList', await raw('GET', `accounts/${debtor}/holders`)],
      ['SubmissionAnswer', await raw('POST', 'payments', submission, { 'idempotency-key': submission.externalRef })],
      ['CorePaymentStatus', await raw('GET', `payments/${submission.externalRef}`)],
      ['TransactionPage', await raw('POST', 'transactions/search', { accountIds: [debtor], limit: 10 })],
      ['AccountOverviewList', await raw('POST', 'account-overviews', { accountIds: [debtor, 'no-such-account'] })],
      ['ChangePage', await raw('GET', 'changes?limit=5')],
    ];
    for (const [schema, answer] of checks) {
      assert.equal(answer.status, 200, `${schema}: ${JSON.stringify(answer.json)}`);
      assert.ok(schemaOf(schema)(answer.json), `${schema}: ${JSON.stringify(schemaOf(schema).errors)}`);
    }
    const page = checks[5]![1].json as { items: Array<{ id: string; amount: { amountMinor: string } }> };
    assert.deepEqual(page.items.map((item) => item.amount.amountMinor), ['125', '1000'], 'amounts travel as minor-unit strings, newest first');
    const transaction = await raw('GET', `accounts/${debtor}/transactions/${encodeURIComponent(page.items[0]!.id)}`);
    assert.equal(transaction.status, 200, JSON.stringify(transaction.json));
    assert.ok(schemaOf('Transaction')(transaction.json), `Transaction: ${JSON.stringify(schemaOf('Transaction').errors)}`);
    assert.deepEqual(transaction.json, page.items[0], 'one transaction answers as its page lists it');
    const elsewhere = await raw('GET', `accounts/${clearing}/transactions/${encodeURIComponent(page.items[0]!.id)}`);
    assert.deepEqual([elsewhere.status, (elsewhere.json as { code: string }).code], [404, 'NOT_FOUND'], "another account's transaction is not found");
    const card = await openCardAccount(gateway.coreDb.db, clearing);
    const cards = await raw('GET', `parties/${card.partyId}/card-accounts`);
    assert.equal(cards.status, 200, JSON.stringify(cards.json));
    assert.ok(schemaOf('AccountList')(cards.json), `AccountList: ${JSON.stringify(schemaOf('AccountList').errors)}`);
    assert.deepEqual((cards.json as { accounts: Array<{ card: unknown }> }).accounts.map((a) => a.card), [{ maskedPan: card.maskedPan, creditLimitMinor: '150000' }]);
    const cardPage = await raw('POST', 'transactions/search', { accountIds: [card.cardAccountId], limit: 10 });
    assert.ok(schemaOf('TransactionPage')(cardPage.json), `TransactionPage: ${JSON.stringify(schemaOf('TransactionPage').errors)}`);
    const [purchase] = (cardPage.json as { items: Array<Record<string, unknown>> }).items;
    assert.deepEqual([purchase!.originalAmount, purchase!.exchangeRate, purchase!.cardAcceptorId], [{ amountMinor: '1250', currency: 'USD' }, '0.792', 'BBC-SF-0042']);
    const missing = await raw('GET', 'accounts/no-such-account');
    assert.equal(missing.status, 404);
    assert.equal(missing.contentType, 'application/problem+json; charset=utf-8');
    assert.ok(schemaOf('Problem')(missing.json));
    assert.equal((missing.json as { code: string }).code, 'NOT_FOUND');
  });

  it('refuses a payment whose Idempotency-Key is not its externalRef, and a malformed body, with a problem and no booking', async () => {
    const debtor = await openAccount(gateway.coreDb.db);
    await fund(gateway.coreDb.db, clearing, debtor, 5_00n);
    const submission = { externalRef: `key-${debtor}`, kind: 'domestic-payment', debtor: { accountId: debtor }, creditor: { name: 'Payee' }, amount: { amountMinor: '100', currency: 'GBP' }, requestedAt: new Date().toISOString() };
    const mismatch = await raw('POST', 'payments', submission, { 'idempotency-key': 'another-key' });
    assert.equal(mismatch.status, 400);
    assert.equal((mismatch.json as { code: string }).code, 'IDEMPOTENCY_KEY_MISMATCH');
    const floatAmount = await raw('POST', 'payments', { ...submission, amount: { amountMinor: 1.5, currency: 'GBP' } }, { 'idempotency-key': submission.externalRef });
    assert.equal(floatAmount.status, 400);
    assert.equal((floatAmount.json as { code: string }).code, 'INVALID_REQUEST');
    assert.equal((await core.getBalances(debtor))!.bookedMinor, 5_00n);
    assert.equal(await core.paymentStatus(submission.externalRef), undefined);
  });

  it('refuses a caller without a client certificate at the TLS handshake (mutual TLS)', async () => {
    const anonymous = new RemoteCoreBanking(gateway.connect({ certPem: undefined, keyPem: undefined, retries: 0 }));
    await assert.rejects(anonymous.getAccount('anything'), CoreUnavailableError);
  });

  it('an unreachable gateway: calls fail with CoreUnavailableError, the circuit opens and fails them at once, and closes when the gateway is back', async () => {
    const proxy = new TcpProxy('127.0.0.1', Number(new URL(gateway.gateway.url).port));
    await proxy.up();
    try {
      const url = new URL(gateway.gateway.url);
      url.port = String(proxy.port);
      const client = gateway.connect({ url: url.toString(), retries: 1, circuitFailures: 2, circuitOpenMs: 500, timeoutMs: 300 });
      const viaProxy = new RemoteCoreBanking(client);
      const account = await openAccount(gateway.coreDb.db);
      assert.equal((await viaProxy.getAccount(account))?.id, account);
      await proxy.down();
      await assert.rejects(viaProxy.getAccount(account), (error: unknown) => error instanceof CoreUnavailableError && error.retryAfterSeconds >= 1);
      assert.equal(client.circuitOpen, true);
      const started = Date.now();
      await assert.rejects(viaProxy.getAccount(account), /circuit open/);
      assert.ok(Date.now() - started < 100, 'an open circuit fails without trying the network');
      await proxy.up();
      await new Promise((resolve) => setTimeout(resolve, 600));
      assert.equal((await viaProxy.getAccount(account))?.id, account);
      assert.equal(client.circuitOpen, false);
    } finally {
      await proxy.down();
    }
  });
});
