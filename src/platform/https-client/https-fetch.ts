import { Agent, fetch as undiciFetch } from 'undici';

/** `fetch` as outbound calls use it: GET/POST with headers, an abort signal and a redirect mode. */
export type HttpsFetch = (url: string, init?: { method?: string; headers?: Headers | Record<string, string>; body?: Uint8Array; redirect?: 'follow' | 'manual' | 'error'; signal?: AbortSignal }) => Promise<Response>;

export interface HttpsFetchOptions {
  /** CA certificates (PEM) the server certificates must chain to; unset: Node's default CA store. */
  readonly caPems?: readonly string[] | undefined;
  /** Longest wait for a connection and for the response headers (default 5 s). */
  readonly timeoutMs?: number;
  /**
   * Also fetch `http:` URLs: only for content signed by its issuer, whose integrity does not rest on
   * TLS — OCSP responses and CRLs are published over plain HTTP (RFC 6960 Appendix A, RFC 5280 §4.2.1.13).
   */
  readonly allowPlainHttp?: boolean;
}

/**
 * A `fetch` for calls to other services over HTTPS only (plain HTTP only where `allowPlainHttp` says), whose server certificates must chain to
 * the given CAs when they are given (a directory with a private PKI), with bounded waits. One
 * connection pool per fetch: keep it for the life of the process and `close()` it at shutdown.
 */
export function createHttpsFetch(options: HttpsFetchOptions = {}): HttpsFetch & { close(): Promise<void> } {
  const timeoutMs = options.timeoutMs ?? 5000;
  const agent = new Agent({
    connect: { ...(options.caPems ? { ca: [...options.caPems] } : {}), timeout: timeoutMs },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  const httpsFetch = async (url: string, init: Parameters<HttpsFetch>[1] = {}) => {
    const { protocol, origin } = new URL(url);
    if (protocol !== 'https:' && !(protocol === 'http:' && options.allowPlainHttp)) throw new TypeError(`only https URLs are fetched (${origin})`);
    // undici's own Response is the same class at run time; its type is declared apart from the DOM's.
    return (await undiciFetch(url, { ...init, dispatcher: agent } as Parameters<typeof undiciFetch>[1])) as unknown as Response;
  };
  return Object.assign(httpsFetch, { close: () => agent.close() });
}
