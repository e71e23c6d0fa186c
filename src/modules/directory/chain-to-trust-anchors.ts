import { x509 } from '../../platform/tls/index.ts';

/** Longest path walked up a trust bundle (issuing CA, intermediates, root). */
const MAX_DEPTH = 5;

/** Whether `issuer`'s key signed `certificate` (a malformed signature is no signature). */
export async function signedBy(certificate: x509.X509Certificate, issuer: x509.X509Certificate): Promise<boolean> {
  try {
    return await certificate.verify({ publicKey: issuer, signatureOnly: true });
  } catch {
    return false;
  }
}

/**
 * RFC 5280 §6.1 against configured trust anchors: the certificate must be signed by one of them
 * (names chain and the signature verifies); the path then continues up the bundle while an anchor
 * is itself issued by another one, so that the validity of every certificate above the leaf can be
 * checked too. Returns the path, leaf first, or undefined when no anchor issued the certificate.
 */
export async function chainToTrustAnchors(certificate: x509.X509Certificate, anchors: readonly x509.X509Certificate[]): Promise<x509.X509Certificate[] | undefined> {
  const path = [certificate];
  for (let current = certificate; path.length <= MAX_DEPTH; ) {
    if (path.length > 1 && current.subject === current.issuer) return path;
    let issuer: x509.X509Certificate | undefined;
    for (const anchor of anchors) {
      if (anchor !== current && anchor.subject === current.issuer && (await signedBy(current, anchor))) {
        issuer = anchor;
        break;
      }
    }
    if (!issuer) return path.length > 1 ? path : undefined;
    path.push(issuer);
    current = issuer;
  }
  return path;
}
