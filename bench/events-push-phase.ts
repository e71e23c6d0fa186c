/**
 * bench:events (b): TPP notifications signed and delivered per second to a local receiver over
 * mutual TLS with keep-alive (a backlog pushed as fast as the pusher goes), against raw HTTPS POSTs
 * of a SET to the same receiver over the same kind of connection pool (the baseline, ratio); then
 * p50/p99 from the commit of a domain event to the receiver's receipt of its SET at a fixed rate,
 * through the whole path: outbox → relay → JetStream → notification consumer → pusher → TPP.
 */
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { exportJWK, generateKeyPair as generateJoseKeyPair } from 'jose';
import { Agent, request } from 'undici';
import type { Logger } from 'pino';
import type { Db } from '../src/platform/db/index.ts';
import type { Bus } from '../src/platform/bus/index.ts';
import { recordEvents } from '../src/platform/events/index.ts';
import { OutboxRelay } from '../src/platform/outbox/index.ts';
import { inMemorySigningKeys } from '../src/platform/keystore/index.ts';
import { EC_P256, generateKeyPair, privateKeyToPem, randomSerialNumber, x509 } from '../src/platform/tls/index.ts';
import { createEventsModule } from '../src/modules/events/index.ts';
import { createKyselyEventsRepository } from '../src/modules/events/infra/kysely-events-repository.ts';
import { ConsentStatusChangedV2 } from '../src/modules/consents/index.ts';
import { createObNotificationSender, createSetSigner } from '../src/standards/uk-obie/v4.0/index.ts';

const TPPS = 8;
const BACKLOG = 20_000;

/** The bank's CA and transport certificate (clientAuth), as a directory would issue them. */
async function bankTransport(): Promise<{ caPem: string; certPem: string; keyPem: string }> {
  const now = Date.now();
  const caKeys = await generateKeyPair(EC_P256);
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerialNumber(),
    name: 'CN=Bench Bank CA, O=Bench Bank, C=GB',
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 86_400_000),
    keys: caKeys,
    signingAlgorithm: EC_P256,
    extensions: [new x509.BasicConstraintsExtension(true, 0, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true)],
  });
  const keys = await generateKeyPair(EC_P256);
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialNumber(),
    subject: 'CN=bank.example, O=Bench Bank, C=GB',
    issuer: ca.subject,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 86_400_000),
    publicKey: keys.publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: EC_P256,
    extensions: [new x509.BasicConstraintsExtension(false, undefined, true), new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth])],
  });
  return { caPem: ca.toString('pem'), certPem: leaf.toString('pem'), keyPem: await privateKeyToPem(keys.privateKey) };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export interface PushFigures {
  readonly rawPostsPerSecond: number;
  readonly deliveriesPerSecond: number;
  readonly ratio: number;
  readonly rate: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly delivered: number;
}

export async function measurePushes(deps: { readonly db: Db; readonly bus: Bus; readonly logger: Logger; readonly seconds: number; readonly rate: number }): Promise<PushFigures> {
  const { db, bus, logger, seconds, rate } = deps;
  const child = fork(path.join(import.meta.dirname, 'bench-set-receiver.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = (type: string) => new Promise<Record<string, unknown>>((resolve) => child.once('message', (message: Record<string, unknown>) => message['type'] === type && resolve(message)));
  const receipts = new Map<string, number>();
  const collect = async () => {
    const answer = next('received');
    child.send({ type: 'received' });
    for (const [jti, at] of (await answer)['receipts'] as Array<[string, number]>) receipts.set(jti, at);
  };
  try {
    const { caFile } = (await next('ready')) as { caFile: string };
    const bank = await bankTransport();
    const started = next('started');
    child.send({ type: 'start', bankCaPem: bank.caPem });
    const { callbackUrl } = (await started) as { callbackUrl: string };
    const receiverCa = await readFile(caFile, 'utf8');

    const { privateKey } = await generateJoseKeyPair('ES256', { extractable: true });
    const jwk = { ...(await exportJWK(privateKey)), alg: 'ES256', kid: 'bench-es256', use: 'sig' };
    const setSigner = createSetSigner({ keys: inMemorySigningKeys([jwk]) });
    const sender = createObNotificationSender({
      setSigner,
      issuer: 'https://bank.example',
      publicUrl: 'https://bank.example',
      financialId: 'BenchBank',
      transport: { certPem: bank.certPem, keyPem: bank.keyPem },
      extraCaPems: [receiverCa],
      allowlist: ['https://localhost:*'],
      timeoutMs: 10_000,
      connectionsPerOrigin: 32,
    });
    const clients = Array.from({ length: TPPS }, (_, i) => `bench-tpp-${i}`);
    const events = createEventsModule({
      db,
      callbackUrls: { allowlist: ['https://localhost:*'], registeredHostsOf: async () => [] },
      lookups: {
        consentKinds: async (ids) => new Map(ids.map((id) => [id, 'account-access' as const])),
        filePaymentsOf: async () => new Map(),
        unavailableAccounts: async () => new Set(),
        accessConsentsTo: async () => [],
        clientsOfOrganisations: async () => [],
      },
      settings: { retentionMs: 86_400_000, longPollMs: 0, pushRetryMs: 86_400_000, push: { concurrencyPerTpp: 32, maxInFlight: 256, pollMs: 20 } },
    });
    for (const client of clients) await events.subscribe(client, { callbackUrl, kinds: null, version: '4.0' });

    // Baseline: raw POSTs of one signed SET over mutual TLS keep-alive, as many in flight as the pusher may have.
    const sample = await setSigner.sign({ iss: 'https://bank.example', iat: 0, jti: randomUUID(), aud: clients[0]!, sub: 'https://bank.example/x', txn: 'x', toe: 0, events: {} });
    const agent = new Agent({ connect: { cert: bank.certPem, key: bank.keyPem, ca: [receiverCa] }, connections: 32 * TPPS, keepAliveTimeout: 30_000 });
    const url = `${callbackUrl}/event-notifications`;
    process.stdout.write('baseline: raw HTTPS POSTs of a SET over mutual TLS keep-alive (256 in flight) … ');
    let raw = 0;
    const rawDeadline = Date.now() + seconds * 1000;
    const rawStarted = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: 256 }, async () => {
        while (Date.now() < rawDeadline) {
          const response = await request(url, { method: 'POST', headers: { 'content-type': 'application/jwt', 'x-fapi-financial-id': 'BenchBank' }, body: sample, dispatcher: agent });
          await response.body.dump();
          raw += 1;
        }
      }),
    );
    const rawPostsPerSecond = raw / (Number(process.hrtime.bigint() - rawStarted) / 1e9);
    await agent.close();
    console.log(`${rawPostsPerSecond.toFixed(0)}/s`);
    await collect();
    receipts.clear();

    // Throughput: a backlog of notifications (one resource each, spread over the TPPs) pushed as fast as it goes.
    process.stdout.write(`pusher: ${BACKLOG} notifications to ${TPPS} TPPs, signed (ES256) and delivered over mutual TLS … `);
    const repository = createKyselyEventsRepository(db);
    const now = new Date();
    for (let i = 0; i < BACKLOG; i += 1000) {
      await repository.raise(
        Array.from({ length: 1000 }, (_, j) => ({
          id: randomUUID(),
          clientId: clients[(i + j) % TPPS]!,
          sourceEventId: randomUUID(),
          kinds: ['resource-update' as const],
          resource: { type: 'consent' as const, kind: 'account-access' as const, id: `aac-${randomUUID()}` },
          correlationId: null,
          occurredAt: now,
          expiresAt: new Date(now.getTime() + 86_400_000),
          pushAt: now,
          retryUntil: new Date(now.getTime() + 86_400_000),
        })),
      );
    }
    const pushStarted = process.hrtime.bigint();
    const pusher = events.startPushing(sender, logger);
    while (receipts.size < BACKLOG) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      await collect();
    }
    const deliveriesPerSecond = BACKLOG / (Number(process.hrtime.bigint() - pushStarted) / 1e9);
    console.log(`${deliveriesPerSecond.toFixed(0)}/s`);
    receipts.clear();

    // Latency: domain events committed at a fixed rate, each told to its TPP through the whole path.
    process.stdout.write(`latency: ${rate} domain events/s committed for ${seconds}s, each pushed to its TPP (outbox → relay → JetStream → consumer → pusher) … `);
    const relay = new OutboxRelay(db, bus, logger, { pollMs: 20 });
    relay.start();
    const consumer = await events.raiseFromEvents({ bus, db, logger });
    const committedAt = new Map<string, number>();
    const perTick = Math.max(1, Math.round(rate / 100));
    const ticks = seconds * 100;
    const startedAt = Date.now();
    for (let tick = 0; tick < ticks; tick += 1) {
      const due = startedAt + tick * 10;
      if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
      const recorded = await recordEvents(
        db,
        ConsentStatusChangedV2,
        Array.from({ length: perTick }, (_, i) => {
          const consentId = `aac-${randomUUID()}`;
          return { aggregateId: consentId, tppClientId: clients[(tick * perTick + i) % TPPS]!, payload: { consentId, status: 'authorised' as const } };
        }),
      );
      const at = Date.now();
      for (const event of recorded) committedAt.set(event.id, at);
      relay.nudge();
    }
    const expected = committedAt.size;
    const deadline = Date.now() + 60_000;
    while (receipts.size < expected && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      await collect();
    }
    await consumer.stop();
    await relay.stop();
    await pusher.stop();
    const rows = await db.selectFrom('event_notifications').select(['id', 'source_event_id']).where('source_event_id', 'in', [...committedAt.keys()]).execute();
    const latencies = rows.flatMap((row) => (receipts.has(row.id) ? [receipts.get(row.id)! - committedAt.get(row.source_event_id)!] : [])).sort((a, b) => a - b);
    const p50Ms = percentile(latencies, 50);
    const p99Ms = percentile(latencies, 99);
    console.log(`${latencies.length} of ${expected} delivered; commit → receipt p50 ${p50Ms.toFixed(0)} ms, p99 ${p99Ms.toFixed(0)} ms`);
    await sender.close();
    return { rawPostsPerSecond, deliveriesPerSecond, ratio: deliveriesPerSecond / rawPostsPerSecond, rate, p50Ms, p99Ms, delivered: latencies.length };
  } finally {
    child.send({ type: 'stop' });
  }
}
