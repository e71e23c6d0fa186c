import { x509 } from '../../../platform/tls/index.ts';

/** Clock skew tolerated between this platform and a CRL issuer. */
const SKEW_MS = 5 * 60_000;

/** A CRL checked against its issuer (RFC 5280 §6.3.3). */
export interface CheckedCrl {
  readonly thisUpdate: Date;
  readonly nextUpdate: Date | undefined;
  /** When the serial is listed; undefined when it is not. */
  revokedAt(serialNumber: string): Date | undefined;
}

/** A CRL that cannot be relied on; the message names the failed check. */
export class CrlRejected extends Error {}

/**
 * Parses a DER CRL and checks it: issued by `issuer` (name and signature), current at `now`
 * (thisUpdate not in the future, nextUpdate not passed). A delta CRL or an indirect CRL is not
 * accepted in place of the full one.
 */
export async function readCrl(der: Uint8Array, issuer: x509.X509Certificate, now: Date): Promise<CheckedCrl> {
  let crl: x509.X509Crl;
  try {
    crl = new x509.X509Crl(der);
  } catch {
    throw new CrlRejected('the CRL cannot be parsed');
  }
  if (crl.issuer !== issuer.subject) throw new CrlRejected('the CRL is not issued by the certificate issuer');
  let signed: boolean;
  try {
    signed = await crl.verify({ publicKey: issuer });
  } catch {
    signed = false;
  }
  if (!signed) throw new CrlRejected('the CRL signature does not verify');
  if (crl.thisUpdate.getTime() > now.getTime() + SKEW_MS) throw new CrlRejected('the CRL is dated in the future');
  if (crl.nextUpdate && crl.nextUpdate.getTime() + SKEW_MS < now.getTime()) throw new CrlRejected('the CRL is out of date (nextUpdate has passed)');
  return {
    thisUpdate: crl.thisUpdate,
    nextUpdate: crl.nextUpdate,
    revokedAt: (serialNumber) => crl.findRevoked(serialNumber)?.revocationDate,
  };
}
