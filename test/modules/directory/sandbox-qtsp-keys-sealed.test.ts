import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createDirectoryModule } from '../../../src/modules/directory/index.ts';
import { MemoryCache } from '../../../src/platform/cache/index.ts';
import { KeySealer } from '../../../src/platform/keystore/index.ts';
import { openTestDatabase, type TestDatabase } from '../../support/backends.ts';

describe('the sandbox QTSP keys sealed in the keystore (PostgreSQL)', () => {
  let database: TestDatabase;
  const sealer = new KeySealer([randomBytes(32)]);

  before(async () => {
    database = await openTestDatabase('postgres');
  });
  after(async () => {
    await database?.close();
  });

  it('stores the issuing CA and directory signing keys sealed, bound to their column, and opens them with the key-encryption key', async () => {
    const directory = createDirectoryModule({ db: database.db, cache: new MemoryCache(), sealer });
    const qtsp = await directory.loadOrCreateSandboxQtsp();
    const row = await database.db.selectFrom('directory_ca').selectAll().executeTakeFirstOrThrow();
    for (const column of ['issuing_key_pem', 'directory_signing_key_pem'] as const) {
      assert.doesNotMatch(row[column], /PRIVATE KEY/, `${column} is not a PEM`);
      assert.equal((JSON.parse(row[column]) as { sealed: string }).sealed, 'A256GCM');
    }
    // The same QTSP on every load: its SSA signing key publishes the same JWKS.
    const again = await createDirectoryModule({ db: database.db, cache: new MemoryCache(), sealer }).loadOrCreateSandboxQtsp();
    assert.equal(again.issuingCertificatePem, qtsp.issuingCertificatePem);
    assert.deepEqual(await directory.directoryJwks(), { keys: [qtsp.directorySigner.publicJwk] });

    await assert.rejects(createDirectoryModule({ db: database.db, cache: new MemoryCache() }).loadOrCreateSandboxQtsp(), /sealed and no key-encryption key is configured/);
    await assert.rejects(createDirectoryModule({ db: database.db, cache: new MemoryCache(), sealer: new KeySealer([randomBytes(32)]) }).loadOrCreateSandboxQtsp(), /not configured/);
    // Attack: the sealed issuing key moved into the other column does not open there.
    await database.db.updateTable('directory_ca').set({ directory_signing_key_pem: row.issuing_key_pem }).execute();
    await assert.rejects(directory.loadOrCreateSandboxQtsp());
    await database.db.updateTable('directory_ca').set({ directory_signing_key_pem: row.directory_signing_key_pem }).execute();
  });
});
