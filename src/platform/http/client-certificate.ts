import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** The client certificate presented on a request, as later security steps need it. */
export interface ClientCertificate {
  readonly x509: X509Certificate;
  readonly pem: string;
  readonly der: Buffer;
  /** `tls`: from this server's handshake; `proxy-header`: forwarded by the trusted TLS-terminating proxy. */
  readonly source: 'tls' | 'proxy-header';
  /** Whether the TLS handshake verified its chain against the configured client trust anchors. */
  readonly chainVerifiedAtHandshake: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The client certificate, or undefined when none was presented (memoised per request). */
    clientCertificate(): ClientCertificate | undefined;
  }
}

const CACHE = Symbol('clientCertificate');

function fromPem(pem: string, source: ClientCertificate['source'], verified: boolean): ClientCertificate | undefined {
  try {
    const x509 = new X509Certificate(pem);
    return { x509, pem: x509.toString(), der: x509.raw, source, chainVerifiedAtHandshake: verified };
  } catch {
    return undefined;
  }
}

function fromSocket(request: FastifyRequest): ClientCertificate | undefined {
  const socket = request.raw.socket as Partial<TLSSocket>;
  if (typeof socket.getPeerX509Certificate !== 'function') return undefined;
  const x509 = socket.getPeerX509Certificate();
  if (!x509) return undefined;
  const der = x509.raw;
  return {
    x509,
    // PEM-encoding on every request would cost more than the checks that read the DER; only some need it.
    get pem() {
      return x509.toString();
    },
    der,
    source: 'tls',
    chainVerifiedAtHandshake: socket.authorized === true,
  };
}

function fromHeader(request: FastifyRequest, header: string): ClientCertificate | undefined {
  const raw = request.headers[header];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value) return undefined;
  let pem: string;
  try {
    pem = decodeURIComponent(value);
  } catch {
    return undefined;
  }
  // The proxy verified the chain before forwarding; later steps still check it against the directory.
  return fromPem(pem, 'proxy-header', false);
}

/**
 * Gives every request `clientCertificate()`. With a trusted proxy header configured
 * (TRUST_PROXY_CLIENT_CERT_HEADER), only that header counts: a certificate on the direct TLS
 * connection then belongs to the proxy, not the TPP. Without it, only the TLS handshake counts and
 * the header is ignored, so a client cannot inject a certificate by sending the header itself.
 */
export function installClientCertificate(app: FastifyInstance, trustedProxyHeader: string | undefined): void {
  app.decorateRequest('clientCertificate', function (this: FastifyRequest & { [CACHE]?: ClientCertificate | null }) {
    if (this[CACHE] === undefined) {
      this[CACHE] = (trustedProxyHeader ? fromHeader(this, trustedProxyHeader) : fromSocket(this)) ?? null;
    }
    return this[CACHE] ?? undefined;
  });
}
