import type { AppError } from '../../platform/errors/index.ts';
import type { x509 } from '../../platform/tls/index.ts';
import type { DirectoryOrganisation, TppRole } from './directory-model.ts';
import type { TrustTrace } from './trust-trace.ts';

export type CertificateUsage = 'transport' | 'signing';

export type TppCertificateValidation =
  | {
      readonly ok: true;
      readonly organisation: DirectoryOrganisation;
      /** Roles both in the certificate's PSD2 QCStatement and currently held in the directory. */
      readonly roles: TppRole[];
      /** RFC 8705 x5t#S256, for binding tokens to this certificate. */
      readonly thumbprint: string;
      readonly certificate: x509.X509Certificate;
      /** The end of the certificate path's validity: no verdict holds past it. */
      readonly pathValidUntil: Date;
    }
  | { readonly ok: false; readonly error: AppError };

export interface ValidateTppCertificateOptions {
  readonly now?: Date;
  /** `transport` (default) for mTLS client certificates, `signing` for QSealC-style ones. */
  readonly usage?: CertificateUsage;
  /** Where each check made is recorded, for an explanation of the verdict. */
  readonly trace?: TrustTrace;
}

/** A PEM (the first certificate of a chain is the leaf), DER bytes, or a parsed certificate. */
export type CertificateInput = string | ArrayBuffer | ArrayBufferView | x509.X509Certificate;
