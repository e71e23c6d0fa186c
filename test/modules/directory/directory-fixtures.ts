import { execFile } from 'node:child_process';
import assert from 'node:assert/strict';
import type { ErrorDefinition } from '../../../src/platform/errors/index.ts';
import type { Db } from '../../../src/platform/db/index.ts';
import { type OnboardedTpp, type SandboxQtsp, type TppCertificateValidation } from '../../../src/modules/directory/index.ts';
import { directoryOf } from '../../support/directory-module.ts';

export const PUBLIC_URL = 'https://bank.example:8443';

export function onboardTestTpp(db: Db, qtsp: SandboxQtsp, overrides: { organisationName?: string; roles?: string[] } = {}): Promise<OnboardedTpp> {
  return directoryOf(db).onboardSandboxTpp(qtsp, {
    organisationName: overrides.organisationName ?? 'Acme Payments Ltd',
    roles: overrides.roles ?? ['AISP', 'PISP'],
    redirectUris: ['https://tpp.example/callback'],
    publicUrl: PUBLIC_URL,
  });
}

export function assertAccepted(result: TppCertificateValidation): asserts result is Extract<TppCertificateValidation, { ok: true }> {
  assert.equal(result.ok, true, result.ok ? '' : `rejected with ${result.error.code}`);
}

export function assertRejected(result: TppCertificateValidation, expected: ErrorDefinition): void {
  assert.equal(result.ok, false, 'the certificate was accepted');
  if (!result.ok) {
    assert.equal(result.error.code, expected.code);
    assert.equal(result.error.status, expected.status);
  }
}

/** Runs openssl with the given stdin; resolves stdout (rejects with stderr on failure). */
export function openssl(args: string[], input: string | Uint8Array): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('openssl', args, { encoding: 'buffer' }, (error, stdout, stderr) => {
      if (error) reject(new Error(`openssl ${args.join(' ')}: ${stderr.toString()}`, { cause: error }));
      else resolve(stdout.toString('utf8'));
    });
    child.stdin?.end(input);
  });
}

/** The first (leaf) certificate of a PEM chain. */
export function leafPem(chainPem: string): string {
  const match = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(chainPem);
  assert.ok(match, 'no certificate in PEM');
  return `${match[0]}\n`;
}
