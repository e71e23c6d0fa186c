import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../../../src/platform/errors/index.ts';
import { combineDirectories, DirectoryErrors, TrustTrace, type TppCertificateValidation, type TppDirectory } from '../../../src/modules/directory/index.ts';
import { assertAccepted, assertRejected } from './directory-fixtures.ts';

/** An adapter that answers every certificate with `verdict` and counts the questions. */
function adapter(verdict: TppCertificateValidation, softwareStatementIssuer = ''): TppDirectory & { asked: number } {
  const directory = {
    asked: 0,
    jwksUrl: softwareStatementIssuer ? `${softwareStatementIssuer}/jwks` : '',
    softwareStatementIssuer,
    softwareStatementKeys: async () => {
      throw new Error('not asked here');
    },
    async validateCertificate() {
      directory.asked += 1;
      return verdict;
    },
    findSoftwareStatement: async () => undefined,
    softwareSigningKeys: async () => ({ keys: [] }),
  };
  return directory;
}

const refused = (definition: (typeof DirectoryErrors)[keyof typeof DirectoryErrors]): TppCertificateValidation => ({ ok: false, error: new AppError(definition) });
const accepted = { ok: true, organisation: { id: 'org', legalName: 'Org', organizationIdentifier: 'PSDGB-FCA-1', roles: ['AISP'], status: 'Active' }, roles: ['AISP'], thumbprint: 't', certificate: undefined as never, pathValidUntil: new Date() } as TppCertificateValidation;

describe('several directory adapters together (DIRECTORY=obie,eidas)', () => {
  it('the first adapter that vouches for the certificate wins; later ones are not asked', async () => {
    const obie = adapter(accepted, 'https://directory.example');
    const eidas = adapter(refused(DirectoryErrors.CERTIFICATE_UNTRUSTED));
    const combined = combineDirectories([{ name: 'obie', directory: obie }, { name: 'eidas', directory: eidas }]);
    assertAccepted(await combined.validateCertificate(''));
    assert.deepEqual([obie.asked, eidas.asked], [1, 0]);
    assert.equal(combined.softwareStatementIssuer, 'https://directory.example', 'software statements are the adapter that has them');
  });

  it('attack: a revoked certificate the second adapter knows is refused as revoked, not as merely unknown to the first', async () => {
    const trace = new TrustTrace();
    const combined = combineDirectories([
      { name: 'obie', directory: adapter(refused(DirectoryErrors.CERTIFICATE_UNTRUSTED), 'https://directory.example') },
      { name: 'eidas', directory: adapter(refused(DirectoryErrors.CERTIFICATE_REVOKED)) },
    ]);
    assertRejected(await combined.validateCertificate('', { trace }), DirectoryErrors.CERTIFICATE_REVOKED);
    assert.deepEqual(trace.steps.map((step) => step.detail), ['obie', 'eidas']);
  });

  it('a certificate no adapter knows is untrusted', async () => {
    const combined = combineDirectories([
      { name: 'obie', directory: adapter(refused(DirectoryErrors.CERTIFICATE_UNTRUSTED), 'https://directory.example') },
      { name: 'eidas', directory: adapter(refused(DirectoryErrors.CERTIFICATE_UNTRUSTED)) },
    ]);
    assertRejected(await combined.validateCertificate(''), DirectoryErrors.CERTIFICATE_UNTRUSTED);
  });
});
