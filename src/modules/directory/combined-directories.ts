import type { TppCertificateValidation } from './certificate-validation.ts';
import { DirectoryErrors } from './directory.errors.ts';
import type { TppDirectory } from './tpp-directory.port.ts';

/** A directory adapter and the name configuration gives it (DIRECTORY=obie,eidas). */
export interface NamedDirectory {
  readonly name: string;
  readonly directory: TppDirectory;
}

/**
 * Several directory adapters enabled together: a certificate is trusted when one of them vouches
 * for it, asked in the configured order. When none does, the refusal is the most telling one: an
 * adapter that recognised the certificate's CA and refused it for a reason of its own (revoked,
 * withdrawn, not qualified) is heard over those to which the certificate is simply unknown.
 * Software statements are the one adapter's that has them (sandbox or obie; eIDAS has none).
 */
export function combineDirectories(adapters: readonly NamedDirectory[]): TppDirectory {
  if (adapters.length === 1) return adapters[0]!.directory;
  const issuing = adapters.find(({ directory }) => directory.softwareStatementIssuer !== '')?.directory ?? adapters[0]!.directory;
  return {
    jwksUrl: issuing.jwksUrl,
    softwareStatementIssuer: issuing.softwareStatementIssuer,
    softwareStatementKeys: issuing.softwareStatementKeys,
    async validateCertificate(certificate, options) {
      let refusal: Extract<TppCertificateValidation, { ok: false }> | undefined;
      for (const { name, directory } of adapters) {
        options?.trace?.add('directory adapter', true, name);
        const verdict = await directory.validateCertificate(certificate, options);
        if (verdict.ok) return verdict;
        if (!refusal || (refusal.error.definition === DirectoryErrors.CERTIFICATE_UNTRUSTED && verdict.error.definition !== DirectoryErrors.CERTIFICATE_UNTRUSTED)) refusal = verdict;
      }
      return refusal!;
    },
    findSoftwareStatement: (softwareId) => issuing.findSoftwareStatement(softwareId),
    softwareSigningKeys: (software) => issuing.softwareSigningKeys(software),
  };
}
