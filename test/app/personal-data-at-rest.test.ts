import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { countEncryptedUnder, DataKeyRing, encryptionContext, KeySealer, PersonalDataCipher, reencryptColumn } from '../../src/platform/keystore/index.ts';
import { openTestDatabase, type TestDatabase } from '../support/backends.ts';
import { pisGet, pisPost, startPisFixture, submitDomesticPayment, type PisFixture } from '../support/pis-access.ts';
import { aisGet, grantAccountAccess } from '../support/ais-access.ts';
import { runPortico } from '../support/run-portico.ts';

describe('personal data cipher (PostgreSQL data keys)', () => {
  let database: TestDatabase;
  const sealer = new KeySealer([randomBytes(32)]);

  before(async () => {
    database = await openTestDatabase('postgres');
  });
  after(async () => {
    await database?.close();
  });

  it('encrypts under the active data key, bound to the row; reads values stored in the clear; stores in the clear when off', async () => {
    const ring = await DataKeyRing.load(database.db, sealer, 'personal-data');
    const cipher = new PersonalDataCipher(ring);
    const secret = '{"Name":"Alice Smith","Identification":"11223344556677"}';
    const stored = cipher.encrypt(secret, 'ob_wire_bodies:consent:c-1');
    assert.match(stored, new RegExp(`^pd1\\.${ring.active.id}\\.`));
    assert.doesNotMatch(stored, /Alice|11223344/);
    assert.notEqual(cipher.encrypt(secret, 'ob_wire_bodies:consent:c-1'), stored, 'a fresh IV each time');
    assert.equal(await cipher.decrypt(stored, 'ob_wire_bodies:consent:c-1'), secret);
    // Attack: a value copied into another row does not open there.
    await assert.rejects(cipher.decrypt(stored, 'ob_wire_bodies:consent:c-2'));
    assert.equal(await cipher.decrypt(secret, 'ob_wire_bodies:consent:c-1'), secret, 'a value from before encryption reads as it is');
    const off = new PersonalDataCipher(ring, { encrypt: false });
    assert.equal(off.encrypt(secret, 'x'), secret);
    assert.equal(await off.decrypt(stored, 'ob_wire_bodies:consent:c-1'), secret, 'encrypted values still open with encryption off');
    // With encryption off, jsonb and bytea values are stored as they were before encryption.
    assert.equal(off.encryptJson({ Name: 'Alice' }, 'x'), '{"Name":"Alice"}');
    assert.deepEqual(off.encryptBytes(Buffer.from('<xml/>'), 'x'), Buffer.from('<xml/>'));
    assert.deepEqual(await cipher.decryptJson(JSON.parse(cipher.encryptJson({ Name: 'Alice' }, 'y')), 'y'), { Name: 'Alice' });
  });

  it('a rotation elsewhere reaches a ring on the first value under the new key; the data keys are sealed under the key-encryption key', async () => {
    const ring = await DataKeyRing.load(database.db, sealer, 'personal-data');
    const elsewhere = await DataKeyRing.load(database.db, sealer, 'personal-data');
    const rotation = await DataKeyRing.rotate(database.db, sealer, 'personal-data');
    await elsewhere.refresh();
    const value = new PersonalDataCipher(elsewhere).encrypt('x', 'ctx');
    assert.match(value, new RegExp(`^pd1\\.${rotation.created}\\.`));
    assert.equal(await new PersonalDataCipher(ring).decrypt(value, 'ctx'), 'x');
    const rows = (await sql<{ sealed: { sealed: string } }>`SELECT sealed FROM data_encryption_keys`.execute(database.db)).rows;
    assert.ok(rows.every((row) => row.sealed.sealed === 'A256GCM'));
    await assert.rejects(DataKeyRing.load(database.db, new KeySealer([randomBytes(32)]), 'personal-data'), /not configured/);
  });
});

describe('the re-encryption pass over text, jsonb and bytea columns (PostgreSQL)', () => {
  let database: TestDatabase;
  const sealer = new KeySealer([randomBytes(32)]);
  const columns = {
    text: { table: 'reencrypt_probe', column: 'note', keys: ['id'], format: 'text' },
    json: { table: 'reencrypt_probe', column: 'doc', keys: ['id'], format: 'json' },
    bytes: { table: 'reencrypt_probe', column: 'file', keys: ['id'], format: 'bytes' },
  } as const;

  before(async () => {
    database = await openTestDatabase('postgres');
    await sql`CREATE TABLE reencrypt_probe (id text PRIMARY KEY, note text, doc jsonb, file bytea)`.execute(database.db);
  });
  after(async () => {
    await database?.close();
  });

  it('encrypts values stored in the clear, moves them to a new data key, keeps JSON null and SQL NULL, and reads back the same values', async () => {
    const file = Buffer.from([0, 1, 2, 255, 0x3c, 0x3f]);
    await sql`INSERT INTO reencrypt_probe VALUES ('a', 'Alice Smith', '{"name":"Alice"}', ${file}), ('b', NULL, 'null', NULL)`.execute(database.db);
    const cipher = new PersonalDataCipher(await DataKeyRing.load(database.db, sealer, 'probe'));
    for (const column of Object.values(columns)) assert.equal(await reencryptColumn(database.db, column, cipher), 1, `${column.column}: one value in the clear`);
    const read = async (ring: DataKeyRing) => {
      const row = (await sql<{ note: string; doc: string; file: Buffer }>`SELECT note, doc, file FROM reencrypt_probe WHERE id = 'a'`.execute(database.db)).rows[0]!;
      const c = new PersonalDataCipher(ring);
      for (const value of [row.note, row.doc, row.file.toString('utf8')]) assert.match(value, new RegExp(`^pd1\\.${ring.active.id}\\.`));
      return {
        note: await c.decrypt(row.note, encryptionContext(columns.text, 'a')),
        doc: JSON.parse(await c.decrypt(row.doc, encryptionContext(columns.json, 'a'))) as unknown,
        file: await c.decryptBytes(row.file, encryptionContext(columns.bytes, 'a')),
      };
    };
    const expected = { note: 'Alice Smith', doc: { name: 'Alice' }, file };
    const ring = await DataKeyRing.load(database.db, sealer, 'probe');
    assert.deepEqual(await read(ring), expected);
    const old = ring.active.id;
    await DataKeyRing.rotate(database.db, sealer, 'probe');
    const rotated = await DataKeyRing.load(database.db, sealer, 'probe');
    for (const column of Object.values(columns)) assert.equal(await reencryptColumn(database.db, column, new PersonalDataCipher(rotated)), 1);
    assert.deepEqual(await read(rotated), expected);
    for (const column of Object.values(columns)) assert.equal(await countEncryptedUnder(database.db, column, old), 0);
    const b = (await sql<{ note: null; doc: null; file: null }>`SELECT note, doc, file FROM reencrypt_probe WHERE id = 'b'`.execute(database.db)).rows[0]!;
    assert.deepEqual(b, { note: null, doc: null, file: null }, 'nothing made up for empty values');
  });
});

describe('personal data at rest on the platform (PostgreSQL)', () => {
  let fixture: PisFixture;
  const storedBodies = async () =>
    (await sql<{ resource_id: string; body: unknown }>`SELECT resource_id, body FROM ob_wire_bodies WHERE resource_type = 'consent'`.execute(fixture.app.portico.database.db)).rows;

  before(async () => {
    fixture = await startPisFixture('postgres', { tpp: 'At Rest TPP', other: 'At Rest Other TPP' }, { SIGNING_KEYS_REFRESH_SECONDS: '1' });
  });
  after(async () => {
    await fixture?.app.close();
  });

  const stageConsent = async (name: string) => {
    const { tpp } = fixture;
    const creditor = { ...fixture.bobCreditor, Name: name };
    const body = JSON.stringify({
      Data: { Initiation: { InstructionIdentification: 'AT-REST-1', EndToEndIdentification: 'AT-REST-E2E', InstructedAmount: { Amount: '4.00', Currency: 'GBP' }, CreditorAccount: creditor } },
      Risk: {},
    });
    const token = await tpp.clientCredentialsToken('payments');
    const created = await pisPost(tpp, '/domestic-payment-consents', { token, body });
    assert.equal(created.status, 201, created.text);
    return { consentId: created.json<{ Data: { ConsentId: string } }>().Data.ConsentId, token };
  };
  const echoedName = async (consentId: string, token: string) => {
    const read = await pisGet(fixture.tpp, `/domestic-payment-consents/${consentId}`, token);
    assert.equal(read.status, 200, read.text);
    return read.json<{ Data: { Initiation: { CreditorAccount: { Name: string } } } }>().Data.Initiation.CreditorAccount.Name;
  };

  it('keeps request bodies and the account read model encrypted, and echoes the bodies exactly', async () => {
    const { consentId, token } = await stageConsent('Robert Payee-Private');
    const row = (await storedBodies()).find((candidate) => candidate.resource_id === consentId)!;
    assert.equal(typeof row.body, 'string');
    assert.match(String(row.body), /^pd1\./);
    assert.doesNotMatch(String(row.body), /Robert|Payee-Private|Identification/);
    assert.equal(await echoedName(consentId, token), 'Robert Payee-Private');
    const [consent] = (await sql<{ payment: unknown }>`SELECT payment FROM consents WHERE id = ${consentId}`.execute(fixture.app.portico.database.db)).rows;
    assert.match(String(consent!.payment), /^pd1\./, 'the consent\'s payment summary is encrypted');
    assert.doesNotMatch(String(consent!.payment), /Robert|Payee-Private/);
    // An AIS read projects the PSU's accounts (names, identifiers, holders) into the read model.
    const access = await grantAccountAccess(fixture.app, fixture.tpp, fixture.alice, { permissions: ['ReadAccountsDetail', 'ReadBalances'] });
    const accounts = await aisGet(fixture.tpp, access.token, 'accounts');
    assert.equal(accounts.status, 200, accounts.text);
    assert.equal((await aisGet(fixture.tpp, access.token, 'balances')).status, 200);
    const projections = (await sql<{ projection: string }>`SELECT projection FROM account_read_model WHERE projection IS NOT NULL`.execute(fixture.app.portico.database.db)).rows;
    assert.ok(projections.length > 0, 'the accounts read are projected');
    assert.ok(projections.every((projection) => projection.projection.startsWith('pd1.')), 'every projection is encrypted');

    // A payment's debtor and creditor names and identifications.
    const creditor = { ...fixture.bobCreditor, Name: 'Bobby Private-Payee' };
    const paymentId = await submitDomesticPayment(fixture.app, fixture.tpp, async (_method, _path, response) => response, { psu: fixture.alice, accountId: fixture.aliceGbp, amount: '1.50', creditor });
    const [payment] = (await sql<Record<string, string>>`SELECT creditor_name, creditor_identification, debtor_name, debtor_identification FROM payments WHERE id = ${paymentId}`.execute(fixture.app.portico.database.db)).rows;
    for (const [column, value] of Object.entries(payment!)) if (value !== null) assert.match(value, /^pd1\./, `payments.${column} is encrypted`);
    assert.doesNotMatch(JSON.stringify(payment), /Bobby|Private-Payee|Alice/);
    const read = await pisGet(fixture.tpp, `/domestic-payments/${paymentId}`, await fixture.tpp.clientCredentialsToken('payments'));
    assert.equal(read.status, 200, read.text);
    assert.equal(read.json<{ Data: { Initiation: { CreditorAccount: { Name: string } } } }>().Data.Initiation.CreditorAccount.Name, 'Bobby Private-Payee');
  });

  it('portico keys rotate-data-key moves every value to a new data key, encrypts values stored in the clear, and deletes the old key', async () => {
    const { consentId, token } = await stageConsent('Clear Text Carol');
    const db = fixture.app.portico.database.db;
    // A body kept by a version from before encryption: an object in the clear.
    const [before] = (await sql<{ body: string }>`SELECT body FROM ob_wire_bodies WHERE resource_id = ${consentId}`.execute(db)).rows;
    assert.match(before!.body, /^pd1\./);
    const oldKey = (await sql<{ id: string }>`SELECT id FROM data_encryption_keys WHERE purpose = 'personal-data' AND status = 'active'`.execute(db)).rows[0]!.id;
    const opened = await new PersonalDataCipher(await DataKeyRing.load(db, fixture.app.portico.sealer, 'personal-data')).decrypt(before!.body, `ob_wire_bodies.body:consent:${consentId}`);
    await sql`UPDATE ob_wire_bodies SET body = ${opened}::jsonb WHERE resource_id = ${consentId}`.execute(db);
    assert.equal(JSON.parse(opened).Data.Initiation.CreditorAccount.Name, 'Clear Text Carol');
    assert.equal(await echoedName(consentId, token), 'Clear Text Carol', 'a body in the clear still reads');

    const { config } = fixture.app.portico;
    const run = await runPortico(['keys', 'rotate-data-key'], { DATABASE_URL: config.database.url!, DATA_DIR: config.dataDir, SIGNING_KEYS_REFRESH_SECONDS: '1' });
    assert.equal(run.code, 0, run.stderr);
    const newKey = /^Created data key (\S+); retired (\S+)$/m.exec(run.stdout);
    assert.ok(newKey, run.stdout);
    assert.equal(newKey[2], oldKey);
    assert.match(run.stdout, /^ob_wire_bodies\.body: \d+ values re-encrypted under /m);
    assert.match(run.stdout, new RegExp(`^Retired data key ${oldKey}: nothing left under it, deleted$`, 'm'));

    for (const row of await storedBodies()) assert.match(String(row.body), new RegExp(`^pd1\\.${newKey[1]}\\.`), `${row.resource_id} under the new key`);
    const names = (await sql<{ creditor_name: string }>`SELECT creditor_name FROM payments`.execute(db)).rows;
    assert.ok(names.length > 0 && names.every((row) => row.creditor_name.startsWith(`pd1.${newKey[1]}.`)), 'payments under the new key');
    const summaries = (await sql<{ payment: string }>`SELECT payment FROM consents WHERE jsonb_typeof(payment) <> 'null'`.execute(db)).rows;
    assert.ok(summaries.length > 0 && summaries.every((row) => row.payment.startsWith(`pd1.${newKey[1]}.`)), 'consents under the new key');
    const projections = (await sql<{ projection: string }>`SELECT projection FROM account_read_model WHERE projection IS NOT NULL`.execute(db)).rows;
    assert.ok(projections.every((projection) => projection.projection.startsWith(`pd1.${newKey[1]}.`)));
    assert.equal((await sql`SELECT 1 FROM data_encryption_keys WHERE id = ${oldKey}`.execute(db)).rows.length, 0);
    // The running instance reads what was moved under a key it learnt of from the first value.
    assert.equal(await echoedName(consentId, token), 'Clear Text Carol');
    const next = await stageConsent('After Rotation');
    assert.equal(await echoedName(next.consentId, next.token), 'After Rotation');
  });
});
