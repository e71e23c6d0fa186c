export { loadServerTls } from './server-tls.ts';
export type { ServerTls, ServerTlsOptions } from './server-tls.ts';
export { loadOrCreateSandboxCa } from './sandbox-ca.ts';
export type { CertificateAuthority } from './sandbox-ca.ts';
export { EC_P256, RSA_PSS_2048, generateKeyPair, privateKeyToPem, privateKeyFromPem, randomSerialNumber, x509 } from './pki.ts';
export type { KeyAlgorithm } from './pki.ts';
export { readPemCertificates } from './pem-certificates.ts';
export type { PemSource } from './pem-certificates.ts';
