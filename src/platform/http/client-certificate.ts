import { createHash, X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** The client certificate presented on a request, as later security steps need it. */
export interface ClientCertificate {
  readonly x509: X509Certificate;
  readonly pem: string;
  readonly der: Buffer;
  /** SHA-256 of the DER (RFC 8705 §3.1 `x5t#S256` before base64url), computed once. */
  readonly sha256: Buffer;
  /** `tls`: from this server's handshake; `proxy-header`: forwarded by the trusted TLS-terminating proxy. */
  readonly source: 'tls' | 'proxy-header';
  /** Whether the TLS handshake verified its chain against the configured client trust anchors. */
  readonly chainVerifiedAtHandshake: boolean;
  /**
   * Whether the certificate may stand for the TPP on mutual TLS routes, before the directory's
   * verdict: its chain verified at the handshake; or forwarded by the trusted proxy; or presented
   * at the handshake (its key proven) where chains are the directory's to check (eIDAS: the
   * qualified CAs of the trusted lists, too many and too changeable for the handshake's list).
   * Every such route asks the directory for its verdict next.
   */
  readonly transportTrusted: boolean;
}

/** Who checks a TLS client certificate's chain: the handshake (client trust anchors), or the directory alone. */
export type ClientChainsCheckedBy = 'handshake' | 'directory';

declare module 'fastify' {
  interface FastifyRequest {
    /** The client certificate, or undefined when none was presented (memoised per request). */
    clientCertificate(): ClientCertificate | undefined;
  }
}

const CACHE = Symbol('clientCertificate');

/** The certificate with its PEM and SHA-256 computed on first use only: not every check needs them. */
function certificateOf(x509: X509Certificate, source: ClientCertificate['source'], verified: boolean, transportTrusted: boolean): ClientCertificate {
  const der = x509.raw;
  let pem: string | undefined;
  let sha256: Buffer | undefined;
  return {
    x509,
    get pem() {
      return (pem ??= x509.toString());
    },
    der,
    get sha256() {
      return (sha256 ??= createHash('sha256').update(der).digest());
    },
    source,
    chainVerifiedAtHandshake: verified,
    transportTrusted,
  };
}

function fromPem(pem: string, source: ClientCertificate['source'], verified: boolean): ClientCertificate | undefined {
  try {
    return certificateOf(new X509Certificate(pem), source, verified, true);
  } catch {
    return undefined;
  }
}

/**
 * The certificate of each TLS connection, read once per connection. Only sound because the first
 * read also disables TLS renegotiation on the connection (it would be refused with an error from
 * then on), so the peer cannot present another certificate later on the same connection. (TLS 1.3
 * has no renegotiation at all; FAPI connections gain nothing from it under 1.2 either.)
 */
const certificateOfConnection = new WeakMap<object, ClientCertificate | null>();

function fromSocket(request: FastifyRequest, chainsCheckedBy: ClientChainsCheckedBy): ClientCertificate | undefined {
  const socket = request.raw.socket as Partial<TLSSocket>;
  if (typeof socket.getPeerX509Certificate !== 'function') return undefined;
  const known = certificateOfConnection.get(socket);
  if (known !== undefined) return known ?? undefined;
  socket.disableRenegotiation?.();
  const x509 = socket.getPeerX509Certificate();
  const verified = socket.authorized === true;
  const certificate = x509 ? certificateOf(x509, 'tls', verified, verified || chainsCheckedBy === 'directory') : undefined;
  certificateOfConnection.set(socket, certificate ?? null);
  return certificate;
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
export function installClientCertificate(app: FastifyInstance, trustedProxyHeader: string | undefined, chainsCheckedBy: ClientChainsCheckedBy = 'handshake'): void {
  app.decorateRequest('clientCertificate', function (this: FastifyRequest & { [CACHE]?: ClientCertificate | null }) {
    if (this[CACHE] === undefined) {
      this[CACHE] = (trustedProxyHeader ? fromHeader(this, trustedProxyHeader) : fromSocket(this, chainsCheckedBy)) ?? null;
    }
    return this[CACHE] ?? undefined;
  });
}
