import { DataKeyRing, PersonalDataCipher } from '../../../src/platform/keystore/index.ts';
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import type { JSONWebKeySet } from 'jose';
import { createDatabase, type DatabaseHandle } from '../../../src/platform/db/index.ts';
import { TEST_DATABASE_URL, TEST_NATS_URL, TEST_REDIS_URL, uniqueName } from '../../support/backends.ts';
import { consentsOf, platformCiphers } from '../../support/consents-module.ts';
import { sandboxPsu } from '../../support/ais-access.ts';
import { deleteTestStreams } from '../../support/nats-cleanup.ts';
import { obAccess } from '../../support/ob-access.ts';
import { tppSignature } from '../../support/pis-access.ts';
import { SetReceiver } from '../../support/set-receiver.ts';
import { startTestPortico, type TestPortico } from '../../support/start-test-portico.ts';
import { TppClient } from '../../support/tpp-client.ts';
import { waitFor } from '../../support/wait-for.ts';

/**
 * Delivery of notifications survives SIGKILL, on PostgreSQL, Redis and NATS JetStream: `portico
 * start` runs in a child process while the PSU's consents change in bulk (each change a
 * notification for the subscribed TPP, pushed to its endpoint), is killed with SIGKILL in the
 * middle of the deliveries and started again. Every notification raised must reach the TPP —
 * compared jti by jti — and every change must have raised one.
 */

const BIN = path.resolve(import.meta.dirname, '../../../bin/portico.mjs');
const CONSENTS = 120;

describe('event notifications survive SIGKILL of the server during delivery (postgres + NATS)', () => {
  let app: TestPortico;
  let tpp: TppClient;
  let receiver: SetReceiver;
  let database: DatabaseHandle;
  let databaseName: string;
  let env: Record<string, string>;
  let server: ChildProcess | undefined;
  const namespace = uniqueName('events_crash');
  const consentIds: string[] = [];
  let psu: { psuId: string; partyId: string; accountId: string };

  before(async () => {
    receiver = await SetReceiver.create();
    const services = { NATS_URL: TEST_NATS_URL, NATS_NAMESPACE: namespace, REDIS_URL: TEST_REDIS_URL, EVENTS_PUSH_CA_FILE: receiver.caFile };
    app = await startTestPortico('postgres', services, { seedSandbox: true });
    tpp = await TppClient.onboard(app, 'Crash Test Notifications Ltd');
    await tpp.register();
    const discovery = (await app.request('/.well-known/openid-configuration')).json<{ jwks_uri: string }>();
    const bankJwks = (await app.request(new URL(discovery.jwks_uri).pathname)).json<JSONWebKeySet>();
    await receiver.start({ bankCaPem: app.portico.tls.sandboxCa!.certificatePem, bankJwks, audience: tpp.clientId });
    const body = JSON.stringify({ Data: { CallbackUrl: receiver.callbackUrl, Version: '4.0' } });
    const subscribed = await tpp.mtls('/open-banking/v4.0/event-subscriptions', {
      method: 'POST',
      headers: { authorization: `Bearer ${await tpp.clientCredentialsToken('accounts')}`, 'content-type': 'application/json', 'x-fapi-interaction-id': randomUUID(), 'x-jws-signature': await tppSignature(tpp, body) },
      body,
    });
    assert.equal(subscribed.status, 201, subscribed.text);
    const identity = await sandboxPsu(app, 0);
    psu = { psuId: identity.psuId, partyId: identity.partyId, accountId: identity.accountIds[0]! };
    const consents = consentsOf(app.portico.database.db);
    for (let i = 0; i < CONSENTS; i += 1) consentIds.push((await consents.create({ kind: 'account-access', clientId: tpp.clientId, access: obAccess(['ReadAccountsBasic']) })).id);
    const { config } = app.portico;
    const url = config.database.url!;
    databaseName = new URL(url).pathname.slice(1);
    env = { DATABASE_URL: url, DATA_DIR: config.dataDir, PORT: new URL(app.base).port, HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...services };
    const { sealer } = app.portico;
    await app.portico.close();
    database = await createDatabase({ url, poolSize: 4 });
    // The consents changed below are encrypted under the platform's data keys, as the server keeps them.
    platformCiphers.set(database.db, new PersonalDataCipher(await DataKeyRing.load(database.db, sealer, 'personal-data')));
  });

  after(async () => {
    if (server?.pid && server.exitCode === null && server.signalCode === null) process.kill(-server.pid, 'SIGKILL');
    await database?.close();
    await receiver?.stop();
    if (databaseName) {
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
      await admin.end();
    }
    await deleteTestStreams(namespace);
  });

  async function start(): Promise<ChildProcess> {
    const child = spawn(process.execPath, [BIN, 'start'], { env: { PATH: process.env['PATH'] ?? '', ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor(() => output.includes('Portico is running') || child.exitCode !== null, 'portico start to listen', 120_000);
    assert.equal(child.exitCode, null, `portico start exited:\n${output}`);
    return child;
  }

  const raised = () => database.db.selectFrom('event_notifications').select(['id', 'status']).where('client_id', '=', tpp.clientId).execute();

  it('delivers every notification raised, none lost, after a SIGKILL in the middle of the deliveries', async (t) => {
    const first = await start();
    // The PSU authorises every consent, then revokes every one: two notifications each.
    const consents = consentsOf(database.db);
    const changes = (async () => {
      for (const id of consentIds) await consents.authorise(id, { psuId: psu.psuId, partyId: psu.partyId, accountIds: [psu.accountId], grantId: randomUUID() });
      for (const id of consentIds) await consents.revoke(id, 'PSU');
    })();
    await waitFor(() => receiver.received.length >= CONSENTS / 2, 'deliveries under way', 60_000);
    const exited = new Promise((resolve) => first.once('exit', resolve));
    process.kill(-first.pid!, 'SIGKILL');
    await exited;
    t.diagnostic(`killed after ${receiver.received.length} deliveries`);
    await changes;

    server = await start();
    // What the dead process had leased (the outbox position, notifications) is let go at once rather than
    // after its lease; what JetStream handed the dead consumer comes again after its ack wait.
    await database.db.updateTable('outbox_relay_positions').set({ held_until: sql<Date>`now()` }).execute();
    await database.db.updateTable('event_notifications').set({ claimed_until: sql<Date>`now()` }).where('status', '=', 'pending').execute();
    await waitFor(async () => (await raised()).length === 2 * CONSENTS && (await raised()).every((n) => n.status === 'delivered'), 'every change raised and delivered', 90_000);

    const counts = receiver.counts();
    const ids = (await raised()).map((n) => n.id);
    assert.deepEqual(ids.filter((id) => !counts.has(id)), [], 'every jti raised was received');
    assert.deepEqual([...counts.keys()].filter((jti) => !ids.includes(jti)), [], 'nothing received that was not raised');
    t.diagnostic(`${ids.length} notifications, ${receiver.received.length} deliveries (${receiver.received.length - ids.length} again after the kill)`);
  });
});
