import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { porticoMigrations as migrations } from '../../src/app/portico-migrations.ts';
import { formatAmount } from '../../src/core/index.ts';
import { LedgerCoreBanking } from '../../src/core/adapters/ledger/index.ts';
import { openTestDatabase, uniqueName, type TestDatabase } from '../support/backends.ts';
import { deleteTestStreams } from '../support/nats-cleanup.ts';
import { freePort } from '../support/free-port.ts';
import { runPortico } from '../support/run-portico.ts';
import { TppClient } from '../support/tpp-client.ts';
import { AISP, aisGet } from '../support/ais-access.ts';
import { pisGet, pisPost } from '../support/pis-access.ts';
import { waitFor } from '../support/wait-for.ts';
import type { TestPortico } from '../support/start-test-portico.ts';
import { instance, psuAuthorises, scaledOutSandbox, startServer, stopServer, type Server } from '../support/portico-process.ts';

describe('process roles: two api processes and one worker on PostgreSQL, Redis and NATS', () => {
  let database: TestDatabase;
  let dir: string;
  let env: Record<string, string>;
  let ca: string;
  let ports: number[];
  const namespace = uniqueName('roles');
  const servers: Server[] = [];

  before(async () => {
    database = await openTestDatabase('postgres', { migrate: false });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'portico-roles-'));
    ports = [await freePort(), await freePort(), await freePort()];
    const publicUrl = `https://localhost:${ports[0]}`;
    // One server certificate for every instance, as a scaled-out sandbox requires.
    ({ env, ca } = await scaledOutSandbox({ dir, databaseUrl: database.url!, namespace, publicUrl }));
  });
  after(async () => {
    for (const server of servers) await stopServer(server);
    await database?.close();
    await deleteTestStreams(namespace);
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  const roleEnv = (role: string, port: number): Record<string, string> => ({ ...env, ROLE: role, PORT: String(port), DATA_DIR: path.join(dir, `${role}-${port}`) });

  it('a worker in sandbox mode without a shared server certificate is refused at start, naming what to set', async () => {
    const { TLS_CERT_FILE: _cert, TLS_KEY_FILE: _key, ...perInstanceTls } = roleEnv('worker', ports[2]!);
    const run = await runPortico(['start'], perInstanceTls);
    assert.equal(run.code, 1, run.stdout);
    assert.equal(
      run.stderr.trim().split('\n').at(-1),
      'portico: Invalid configuration: TLS_CERT_FILE must be set in sandbox mode when more than one process runs (ROLE is worker): the sandbox server CA and certificate are made per instance',
    );
  });

  it('an api process refuses to start on a database that is not migrated, and says how to migrate', async () => {
    const run = await runPortico(['start'], roleEnv('api', ports[0]!));
    assert.equal(run.code, 1, run.stdout);
    const pending = Object.keys(migrations);
    assert.equal(
      run.stderr.trim().split('\n').at(-1),
      `portico: ROLE=api: the database schema is behind this version: ${pending.length} migration(s) pending (${pending.join(', ')}); apply them first with ROLE=migrate (or portico db migrate)`,
    );
  });

  it('ROLE=migrate applies the migrations, seeds the sandbox bank and exits 0', async () => {
    const run = await runPortico(['start'], roleEnv('migrate', ports[0]!));
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, `Applied ${Object.keys(migrations).length} migration(s): ${Object.keys(migrations).join(', ')}\nSeeded the sandbox bank.\n`);
  });

  it('serves the TPP journey: onboarding, consents the PSU authorises, AIS reads and a payment submitted through api #1 that settles and is read through api #2', async () => {
    const [api1Port, api2Port, workerPort] = ports as [number, number, number];
    servers.push(...(await Promise.all([startServer(roleEnv('api', api1Port)), startServer(roleEnv('api', api2Port)), startServer(roleEnv('worker', workerPort))])));
    const api1 = instance(`https://localhost:${api1Port}`, env['PUBLIC_URL']!, ca);
    const api2 = instance(`https://localhost:${api2Port}`, env['PUBLIC_URL']!, ca);
    const worker = instance(`https://localhost:${workerPort}`, env['PUBLIC_URL']!, ca);

    // The worker serves health and metrics, not the APIs.
    assert.equal((await worker.request('/health/ready')).status, 200);
    assert.equal((await worker.request('/metrics')).status, 200);
    assert.equal((await worker.request('/sandbox/v1/psus')).status, 404);

    // Onboarding and registration through api #1; the same client through api #2.
    const tpp = await TppClient.onboard(api1, 'Scaled Out Ltd');
    await tpp.register();
    const tppViaApi2 = new TppClient(api2, tpp.tpp);
    tppViaApi2.clientId = tpp.clientId;

    const psus = (await api1.request('/sandbox/v1/psus')).json<Array<{ username: string; password: string; totpSecret: string }>>();
    const core = new LedgerCoreBanking(database.db);
    const gbpAccountOf = async (username: string) => {
      const { party_id: partyId } = await database.db.selectFrom('psu_users').select('party_id').where('username', '=', username).executeTakeFirstOrThrow();
      const account = (await core.listAccountsOfParty(partyId)).find((a) => a.currency === 'GBP' && a.status === 'Enabled' && a.sortCode && a.accountNumber);
      assert.ok(account, `${username} has a GBP account`);
      return account;
    };
    const [alice, bob] = [psus[0]!, psus[1]!];
    const [aliceGbp, bobGbp] = [await gbpAccountOf(alice.username), await gbpAccountOf(bob.username)];

    // AIS: Bob lets the TPP see his GBP account; the TPP reads it through api #2.
    const aisConsentId = await tpp.createAccountAccessConsent(['ReadAccountsDetail', 'ReadBalances']);
    const aisToken = await psuAuthorises(api1, tpp, aisConsentId, 'openid accounts', bob, bobGbp.id);
    const accounts = await aisGet(tppViaApi2, aisToken, `${AISP}/accounts`);
    assert.equal(accounts.status, 200, accounts.text);
    const accountRef = accounts.json<{ Data: { Account: Array<{ AccountId: string }> } }>().Data.Account[0]!.AccountId;
    const bookedBalance = async () => {
      const response = await aisGet(tppViaApi2, aisToken, `${AISP}/accounts/${accountRef}/balances`);
      assert.equal(response.status, 200, response.text);
      const booked = response.json<{ Data: { Balance: Array<{ Type: string; CreditDebitIndicator: string; Amount: { Amount: string } }> } }>().Data.Balance.find((b) => b.Type === 'ITBD')!;
      return `${booked.CreditDebitIndicator === 'Debit' ? '-' : ''}${booked.Amount.Amount}`;
    };
    const bobBefore = (await core.getBalances(bobGbp.id))!.bookedMinor;
    assert.equal(await bookedBalance(), formatAmount(bobBefore, 'GBP'));

    // PIS: a payment to Bob; consent, authorisation and submission through api #1.
    const payBob = async (payer: (typeof psus)[number], payerAccountId: string, amount: string): Promise<string> => {
      const initiation = {
        InstructionIdentification: `ROLES-${randomUUID().slice(0, 8)}`,
        EndToEndIdentification: `ROLES-${randomUUID().slice(0, 8)}`,
        LocalInstrument: 'UK.OBIE.FPS',
        InstructedAmount: { Amount: amount, Currency: 'GBP' },
        CreditorAccount: { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: `${bobGbp.sortCode}${bobGbp.accountNumber}`, Name: 'Bob' },
      };
      const consent = { Data: { Initiation: initiation }, Risk: { PaymentContextCode: 'TransferToThirdParty' } };
      const staged = await pisPost(tpp, '/domestic-payment-consents', { token: await tpp.clientCredentialsToken('payments'), body: JSON.stringify(consent) });
      assert.equal(staged.status, 201, staged.text);
      const consentId = staged.json<{ Data: { ConsentId: string } }>().Data.ConsentId;
      const pisToken = await psuAuthorises(api1, tpp, consentId, 'openid payments', payer, payerAccountId);
      const submitted = await pisPost(tpp, '/domestic-payments', { token: pisToken, body: JSON.stringify({ Data: { ConsentId: consentId, Initiation: initiation }, Risk: consent.Risk }) });
      assert.equal(submitted.status, 201, submitted.text);
      return submitted.json<{ Data: { DomesticPaymentId: string } }>().Data.DomesticPaymentId;
    };
    // Its status as api #2 reports it.
    const ccToken = await tppViaApi2.clientCredentialsToken('payments');
    const statusOf = async (paymentId: string) => {
      const read = await pisGet(tppViaApi2, `/domestic-payments/${paymentId}`, ccToken);
      assert.equal(read.status, 200, read.text);
      return read.json<{ Data: { Status: string } }>().Data.Status;
    };
    const settled = async (paymentId: string) => {
      let status = '';
      await waitFor(async () => (status = await statusOf(paymentId)) !== 'PDNG', 'the payment to settle');
      return status;
    };

    // The worker executes and settles Alice's payment; api #2 reads it.
    const paymentId = await payBob(alice, aliceGbp.id, '23.45');
    assert.equal(await settled(paymentId), 'ACCC', 'AcceptedCreditSettlementCompleted');

    // Bob's balance through api #2 rises by the amount once the worker's consumer retires the cached read.
    const expected = formatAmount(bobBefore + 2345n, 'GBP');
    await waitFor(async () => (await bookedBalance()) === expected, `Bob's balance ${expected} through api #2`);

    // Without a worker, an accepted payment waits (the api processes run no jobs); a new worker takes it up.
    await stopServer(servers.pop());
    const carol = psus[2]!;
    const waiting = await payBob(carol, (await gbpAccountOf(carol.username)).id, '5.00');
    assert.equal(await statusOf(waiting), 'PDNG');
    // Meanwhile any process's /metrics shows the backlog every instance shares: the job waiting.
    const scrape = async (app: TestPortico, name: string) => Number((await app.request('/metrics')).text.split('\n').find((l) => l.startsWith(`${name} `))?.split(' ')[1]);
    await waitFor(async () => (await scrape(api1, 'portico_jobs_due')) >= 1, 'the payment job due and unclaimed, seen from api #1');
    servers.push(await startServer(roleEnv('worker', workerPort)));
    assert.equal(await settled(waiting), 'ACCC');
    await waitFor(async () => (await scrape(api2, 'portico_jobs_due')) === 0 && (await scrape(api2, 'portico_outbox_unpublished_events')) === 0, 'no backlog once the worker is back');
  });
});
