import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { x509 } from '../../../src/platform/tls/index.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../support/backends.ts';
import { directoryOf } from '../../support/directory-module.ts';

for (const dialect of DIALECTS) {
  describe(`sandbox QTSP persistence (${dialect})`, () => {
    let database: TestDatabase;

    before(async () => {
      database = await openTestDatabase(dialect);
    });
    after(async () => {
      await database?.close();
    });

    it('two concurrent first loads produce one CA', async () => {
      assert.deepEqual(await directoryOf(database.db).directoryJwks(), { keys: [] });
      const loads = await Promise.all([directoryOf(database.db).loadOrCreateSandboxQtsp(), directoryOf(database.db).loadOrCreateSandboxQtsp(), directoryOf(database.db).loadOrCreateSandboxQtsp()]);
      const rows = await database.db.selectFrom('directory_ca').select('id').execute();
      assert.deepEqual(rows, [{ id: 'sandbox-qtsp' }]);
      for (const qtsp of loads) {
        assert.equal(qtsp.rootCertificatePem, loads[0]!.rootCertificatePem);
        assert.equal(qtsp.issuingCertificatePem, loads[0]!.issuingCertificatePem);
        assert.equal(qtsp.directorySigner.kid, loads[0]!.directorySigner.kid);
      }
    });

    it('survives a reload: the same root, issuing CA and directory key', async () => {
      const first = await directoryOf(database.db).loadOrCreateSandboxQtsp();
      const again = await directoryOf(database.db).loadOrCreateSandboxQtsp();
      assert.equal(again.rootCertificatePem, first.rootCertificatePem);
      assert.equal(again.issuingCertificatePem, first.issuingCertificatePem);
      assert.deepEqual(again.directorySigner.publicJwk, first.directorySigner.publicJwk);
      const { keys } = await directoryOf(database.db).directoryJwks();
      assert.deepEqual(keys, [first.directorySigner.publicJwk]);
    });

    it('is a two-level CA hierarchy: a self-signed root and an issuing CA limited to end entities', async () => {
      const { rootCertificate: root, issuingCertificate: issuing } = await directoryOf(database.db).loadOrCreateSandboxQtsp();
      assert.match(root.subject, /CN=Portico Sandbox QTSP Root CA/);
      assert.match(issuing.subject, /CN=Portico Sandbox QTSP Issuing CA/);
      assert.equal(issuing.issuer, root.subject);
      assert.equal(await root.verify({ signatureOnly: true }), true);
      assert.equal(await issuing.verify({ publicKey: root, signatureOnly: true }), true);
      const constraints = issuing.getExtension(x509.BasicConstraintsExtension);
      assert.equal(constraints?.ca, true);
      assert.equal(constraints?.pathLength, 0);
      assert.equal(root.getExtension(x509.BasicConstraintsExtension)?.ca, true);
    });
  });
}
