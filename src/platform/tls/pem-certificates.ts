import fs from 'node:fs/promises';
import { x509 } from './pki.ts';

/** Where a PEM bundle comes from: a file, or the PEM text itself. */
export type PemSource = { readonly file: string } | { readonly pem: string };

/**
 * The certificates of a PEM bundle, one PEM each, every one parsed; throws naming the source when
 * it holds none or one that does not parse, so a misconfigured trust store stops the start.
 */
export async function readPemCertificates(source: PemSource): Promise<string[]> {
  const name = 'file' in source ? source.file : 'the inline PEM';
  const text = 'file' in source ? await fs.readFile(source.file, 'utf8') : source.pem;
  let certificates: string[];
  try {
    certificates = x509.PemConverter.decode(text).map((der) => new x509.X509Certificate(der).toString('pem'));
  } catch (error) {
    throw new Error(`${name} holds a certificate that cannot be parsed`, { cause: error });
  }
  if (certificates.length === 0) throw new Error(`${name} holds no PEM certificate`);
  return certificates;
}
