import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readPemCertificates } from '../../src/platform/tls/index.ts';
import { createUnsavedQtsp } from '../../src/modules/directory/sandbox-qtsp.ts';

describe('client trust anchors from a PEM bundle', () => {
  let dir: string;
  let bundle: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'portico-pem-'));
    const qtsp = await createUnsavedQtsp();
    bundle = `# issuing CA\n${qtsp.issuingCertificatePem}\n# root\n${qtsp.rootCertificatePem}`;
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('reads every certificate of a file or of inline PEM, in order', async () => {
    const file = path.join(dir, 'anchors.pem');
    await fs.writeFile(file, bundle);
    const fromFile = await readPemCertificates({ file });
    assert.equal(fromFile.length, 2);
    assert.deepEqual(await readPemCertificates({ pem: bundle }), fromFile);
    assert.ok(fromFile.every((pem) => pem.startsWith('-----BEGIN CERTIFICATE-----')));
  });

  it('stops the start on a bundle with no certificate, or one that does not parse, naming where it came from', async () => {
    const empty = path.join(dir, 'empty.pem');
    await fs.writeFile(empty, '# nothing here\n');
    await assert.rejects(readPemCertificates({ file: empty }), { message: `${empty} holds no PEM certificate` });
    const broken = '-----BEGIN CERTIFICATE-----\nTm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n';
    await assert.rejects(readPemCertificates({ pem: broken }), { message: 'the inline PEM holds a certificate that cannot be parsed' });
    await assert.rejects(readPemCertificates({ file: path.join(dir, 'missing.pem') }), { code: 'ENOENT' });
  });
});
