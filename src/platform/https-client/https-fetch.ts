import { Agent, fetch as undiciFetch } from 'undici';

/** `fetch` as outbound calls use it: GET/POST with headers, an abort signal and a redirect mode. */
export type HttpsFetch = (url: string, init?: { method?: string; headers?: Headers | Record<string, string>; redirect?: 'follow' | 'manual' | 'error'; signal?: AbortSignal }) => Promise<Response>;

export interface HttpsFetchOptions {
  /** CA certificates (PEM) the server certificates must chain to; unset: Node's default CA store. */
  readonly caPems?: readonly string[] | undefined;
  /** Longest wait for a connection and for the response headers (default 5 s). */
  readonly timeoutMs?: number;
}

/**
 * A `fetch` for calls to other services over HTTPS only, whose server certificates must chain to
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
    if (new URL(url).protocol !== 'https:') throw new TypeError(`only https URLs are fetched (${new URL(url).origin})`);
    // undici's own Response is the same class at run time; its type is declared apart from the DOM's.
    return (await undiciFetch(url, { ...init, dispatcher: agent } as Parameters<typeof undiciFetch>[1])) as unknown as Response;
  };
  return Object.assign(httpsFetch, { close: () => agent.close() });
}
