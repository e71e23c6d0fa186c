import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LedgerCoreBanking } from '../../src/core/adapters/ledger/index.ts';
import { AISP, aisGet } from '../support/ais-access.ts';
import { openTestDatabase, uniqueName, type TestDatabase } from '../support/backends.ts';
import { freePort } from '../support/free-port.ts';
import { deleteTestStreams } from '../support/nats-cleanup.ts';
import { pisGet, pisPost, sweepingVrpBody, sweepingVrpConsentBody } from '../support/pis-access.ts';
import { instance, psuAuthorises, scaledOutSandbox, startServer, stopServer, type Server } from '../support/portico-process.ts';
import { runPortico } from '../support/run-portico.ts';
import { TppClient } from '../support/tpp-client.ts';
import { waitFor } from '../support/wait-for.ts';

const HAPROXY = '/usr/sbin/haproxy';
const LOAD_SECONDS = 60;

/** haproxy in TCP passthrough before the replicas, as deploy/compose/haproxy.cfg runs it, in the foreground. */
async function startHaproxy(dir: string, port: number, replicas: readonly number[]): Promise<ChildProcess> {
  const config = [
    'global',
    '  maxconn 2048',
    'defaults',
    '  mode tcp',
    '  timeout connect 2s',
    '  timeout client 60s',
    '  timeout server 60s',
    '  option redispatch',
    '  retries 2',
    'frontend portico',
    `  bind 127.0.0.1:${port}`,
    '  default_backend portico',
    'backend portico',
    '  balance roundrobin',
    '  option httpchk GET /health/ready',
    '  http-check expect status 200',
    '  default-server check check-ssl verify none inter 500ms fall 2 rise 2',
    ...replicas.map((replica, i) => `  server portico-${i + 1} 127.0.0.1:${replica}`),
    '',
  ].join('\n');
  const file = path.join(dir, 'haproxy.cfg');
  await fs.writeFile(file, config);
  const child = spawn(HAPROXY, ['-f', file, '-db'], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr!.resume();
  child.stdout!.resume();
  return child;
}

/**
 * Three replicas (ROLE=all) on PostgreSQL, Redis and NATS behind haproxy; a load generator runs
 * AIS reads and VRP submissions through the balancer for LOAD_SECONDS while the replicas are
 * restarted one at a time with SIGTERM, as a rolling update does. Not one request may fail, and
 * every accepted payment must be executed exactly once.
 */
describe('a rolling restart of three replicas behind haproxy under load (PostgreSQL, Redis, NATS)', () => {
  let database: TestDatabase;
  let dir: string;
  let env: Record<string, string>;
  let ca: string;
  let ports: number[];
  let lbPort: number;
  let haproxy: ChildProcess | undefined;
  const namespace = uniqueName('rolling');
  const servers: Array<Server | undefined> = [];

  before(async () => {
    database = await openTestDatabase('postgres', { migrate: false });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'portico-rolling-'));
    ports = [await freePort(), await freePort(), await freePort()];
    lbPort = await freePort();
    const publicUrl = `https://localhost:${lbPort}`;
    const shared = await scaledOutSandbox({ dir, databaseUrl: database.url!, namespace, publicUrl });
    ca = shared.ca;
    env = { ...shared.env, REPLICAS: '3', SHUTDOWN_DELAY_MS: '2000' };
    const migrated = await runPortico(['start'], { ...env, ROLE: 'migrate', PORT: String(ports[0]), DATA_DIR: path.join(dir, 'migrate') });
    assert.equal(migrated.code, 0, migrated.stderr);
    for (const [i, port] of ports.entries()) servers[i] = await startServer(replicaEnv(port));
    haproxy = await startHaproxy(dir, lbPort, ports);
  });
  after(async () => {
    haproxy?.kill('SIGTERM');
    for (const server of servers) await stopServer(server);
    await database?.close();
    await deleteTestStreams(namespace);
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  const replicaEnv = (port: number): Record<string, string> => ({ ...env, ROLE: 'all', PORT: String(port), DATA_DIR: path.join(dir, `replica-${port}`) });

  it('serves every AIS read and VRP submission while each replica is restarted in turn, and executes every accepted payment once', async () => {
    const lb = instance(`https://localhost:${lbPort}`, env['PUBLIC_URL']!, ca);
    await waitFor(async () => (await lb.request('/health/ready').catch(() => undefined))?.status === 200, 'the balancer to have a ready replica');
    const tpp = await TppClient.onboard(lb, 'Rolling Ltd');
    await tpp.register();
    const psus = (await lb.request('/sandbox/v1/psus')).json<Array<{ username: string; password: string; totpSecret: string }>>();
    const core = new LedgerCoreBanking(database.db);
    const gbpAccountOf = async (username: string) => {
      const { party_id: partyId } = await database.db.selectFrom('psu_users').select('party_id').where('username', '=', username).executeTakeFirstOrThrow();
      const account = (await core.listAccountsOfParty(partyId)).find((a) => a.currency === 'GBP' && a.status === 'Enabled' && a.sortCode && a.accountNumber);
      assert.ok(account, `${username} has a GBP account`);
      return account;
    };
    const [alice, bob] = [psus[0]!, psus[1]!];
    const [aliceGbp, bobGbp] = [await gbpAccountOf(alice.username), await gbpAccountOf(bob.username)];

    // AIS: Bob's balances; PIS: Alice's sweeping VRP consent to Bob, authorised once for many payments.
    const aisConsentId = await tpp.createAccountAccessConsent(['ReadAccountsDetail', 'ReadBalances']);
    const aisToken = await psuAuthorises(lb, tpp, aisConsentId, 'openid accounts', bob, bobGbp.id);
    const accountRef = (await aisGet(tpp, aisToken, `${AISP}/accounts`)).json<{ Data: { Account: Array<{ AccountId: string }> } }>().Data.Account[0]!.AccountId;
    const creditor = { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: `${bobGbp.sortCode}${bobGbp.accountNumber}`, Name: 'Bob' };
    const vrpConsent = sweepingVrpConsentBody({ maxAmount: '1.00', period: 'Day', creditor, remittance: 'Rolling sweep' });
    const staged = await pisPost(tpp, '/domestic-vrp-consents', { token: await tpp.clientCredentialsToken('payments'), body: JSON.stringify(vrpConsent) });
    assert.equal(staged.status, 201, staged.text);
    const consentId = staged.json<{ Data: { ConsentId: string } }>().Data.ConsentId;
    const vrpToken = await psuAuthorises(lb, tpp, consentId, 'openid payments', alice, aliceGbp.id);

    const failures: string[] = [];
    const accepted: string[] = [];
    let reads = 0;
    const started = Date.now();
    const deadline = started + LOAD_SECONDS * 1000;
    // Where the rolling restart stood when a request failed, so a failure says when it happened.
    let phase = 'before the restarts';
    const when = () => `[${((Date.now() - started) / 1000).toFixed(1)} s, ${phase}]`;
    const reader = async () => {
      while (Date.now() < deadline) {
        const response = await aisGet(tpp, aisToken, `${AISP}/accounts/${accountRef}/balances`).catch((error: unknown) => ({ status: 0, text: String(error) }));
        if (response.status === 200) reads += 1;
        else failures.push(`${when()} GET balances: ${response.status} ${response.text.slice(0, 200)}`);
      }
    };
    const payer = async () => {
      while (Date.now() < deadline) {
        const vrp = sweepingVrpBody(consentId, vrpConsent, { amount: '0.01', creditor, remittance: 'Rolling' });
        const response = await pisPost(tpp, '/domestic-vrps', { token: vrpToken, body: JSON.stringify(vrp) }).catch((error: unknown) => ({ status: 0, text: String(error), json: () => ({}) }));
        if (response.status === 201) accepted.push((response.json() as { Data: { DomesticVRPId: string } }).Data.DomesticVRPId);
        else failures.push(`${when()} POST domestic-vrps: ${response.status} ${response.text.slice(0, 200)}`);
        await sleep(200);
      }
    };
    // The rolling restart: each replica in turn gets SIGTERM, drains and exits, and starts again;
    // the next one only once the balancer sends to the new one.
    const restarts = async () => {
      await sleep(5000);
      for (const [i, port] of ports.entries()) {
        phase = `replica ${i + 1} stopping`;
        await stopServer(servers[i]);
        phase = `replica ${i + 1} starting`;
        servers[i] = await startServer(replicaEnv(port));
        const replica = instance(`https://localhost:${port}`, env['PUBLIC_URL']!, ca);
        await waitFor(async () => (await replica.request('/health/ready')).status === 200, `replica ${i + 1} ready again`);
        phase = `replica ${i + 1} ready again`;
        await sleep(1500);
      }
      phase = 'after the restarts';
    };
    const restarted = restarts();
    await Promise.all([reader(), reader(), reader(), payer(), payer()]);
    await restarted;

    assert.deepEqual(failures, [], `${failures.length} of ${reads + accepted.length + failures.length} requests failed`);
    assert.ok(reads > 100 && accepted.length > 50, `load ran: ${reads} reads, ${accepted.length} payments`);
    // Every accepted payment executed, once.
    const ccToken = await tpp.clientCredentialsToken('payments');
    for (const id of accepted) {
      await waitFor(async () => (await pisGet(tpp, `/domestic-vrps/${id}`, ccToken)).json<{ Data: { Status: string } }>().Data.Status === 'ACCC', `VRP ${id} executed`);
    }
    const entries = await database.db.selectFrom('bank_journal_entries').select('external_ref').where('kind', '=', 'domestic-vrp').execute();
    const perPayment = new Map<string, number>();
    for (const { external_ref: ref } of entries) if (ref) perPayment.set(ref, (perPayment.get(ref) ?? 0) + 1);
    for (const id of accepted) assert.equal([...perPayment].filter(([ref]) => ref.endsWith(id)).reduce((sum, [, n]) => sum + n, 0), 1, `VRP ${id} booked once`);
    const payments = await database.db.selectFrom('payments').select('id').where('consent_id', '=', consentId).execute();
    assert.equal(payments.length, accepted.length, 'no payment the TPP was not told of, none lost');
  });
});
