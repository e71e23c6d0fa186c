import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, type Dispatcher } from 'undici';
import type { z } from 'zod';
import { inSpan, SpanKind } from '../../../platform/tracing/index.ts';
import { CircuitBreaker, CircuitOpenError } from '../../../platform/resilience/index.ts';
import { CoreUnavailableError } from './core-unavailable-error.ts';

export interface CoreGatewayClientOptions {
  /** The gateway's base URL, e.g. `https://core-gateway.bank.internal/core/v1`. */
  readonly url: string;
  /** CA certificates (PEM) the gateway's certificate must chain to; unset: Node's default store. */
  readonly caPems?: readonly string[] | undefined;
  /** Portico's client certificate and key (PEM) for mutual TLS. */
  readonly certPem?: string | undefined;
  readonly keyPem?: string | undefined;
  /** Longest wait for one attempt's connection and answer. */
  readonly timeoutMs: number;
  /** Further attempts of a call that is safe to repeat, after a timeout, a refused connection or 502/503/504. */
  readonly retries: number;
  /** Failures in a row that open the circuit, and how long it stays open. */
  readonly circuitFailures: number;
  readonly circuitOpenMs: number;
  /** Connections kept to the gateway. */
  readonly connections?: number | undefined;
  readonly onCircuitChange?: ((state: 'open' | 'closed') => void) | undefined;
  /** Told of each attempt (metrics): the operation (`GET accounts`), its outcome and how long it took. */
  readonly onAttempt?: ((operation: string, outcome: 'ok' | 'not-found' | 'unavailable' | 'refused', seconds: number) => void) | undefined;
}

export interface CallOptions<T extends z.ZodType> {
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** The answer's shape; a 204 answers undefined. */
  readonly decode?: T;
  /** Whether the call may be repeated after a failure that may or may not have reached the core. */
  readonly idempotent: boolean;
  /** A 404 answers undefined instead of failing (the core holds no such thing). */
  readonly notFoundIsAbsent?: boolean;
  /** A longer wait for this call (a long poll). */
  readonly timeoutMs?: number;
}

/** The gateway answered outside its contract: a fault of the bank's side, not Portico's. */
export class CoreContractError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CoreContractError';
  }
}

const RETRYABLE_STATUS = new Set([502, 503, 504]);
const BACKOFF_BASE_MS = 50;

/**
 * HTTP/JSON calls to the bank's core gateway (docs/core-gateway.openapi.yaml) over mutual TLS:
 * keep-alive connections, a bounded wait per attempt, retries only where a call is safe to repeat
 * (with exponential backoff and jitter), and a circuit breaker so an unreachable core fails calls
 * at once instead of holding every request for a timeout.
 */
export class CoreGatewayClient {
  private readonly agent: Agent;
  private readonly base: URL;
  private readonly breaker: CircuitBreaker;

  constructor(private readonly options: CoreGatewayClientOptions) {
    this.base = new URL(options.url.endsWith('/') ? options.url : `${options.url}/`);
    if (this.base.protocol !== 'https:') throw new TypeError(`the core gateway is reached over https only (${this.base.origin})`);
    this.agent = new Agent({
      connections: options.connections ?? 32,
      connect: {
        ...(options.caPems ? { ca: [...options.caPems] } : {}),
        ...(options.certPem && options.keyPem ? { cert: options.certPem, key: options.keyPem } : {}),
        timeout: options.timeoutMs,
      },
      keepAliveTimeout: 30_000,
    });
    this.breaker = new CircuitBreaker({
      openMs: options.circuitOpenMs,
      failuresToOpen: options.circuitFailures,
      // Once per outage: its start (closed → open) and its end; a failed probe is not news.
      onStateChange: (state, previous) => {
        if (state === 'open' && previous === 'closed') options.onCircuitChange?.('open');
        else if (state === 'closed') options.onCircuitChange?.('closed');
      },
    });
  }

  get circuitOpen(): boolean {
    return this.breaker.state !== 'closed';
  }

  /** `path` is relative to the base URL, its segments already encoded (`accounts/${encodeURIComponent(id)}`). */
  async call<T extends z.ZodType>(method: 'GET' | 'POST' | 'PUT', path: string, options: CallOptions<T>): Promise<z.output<T> | undefined> {
    const operation = `${method} ${path.split(/[/?]/)[0]}`;
    return inSpan(`core ${operation}`, { 'portico.core.operation': operation }, () => this.attempt(method, path, operation, options), SpanKind.CLIENT);
  }

  private async attempt<T extends z.ZodType>(method: 'GET' | 'POST' | 'PUT', path: string, operation: string, options: CallOptions<T>): Promise<z.output<T> | undefined> {
    const attempts = options.idempotent ? 1 + this.options.retries : 1;
    let lastFailure: unknown;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await sleep(backoff(attempt));
      const started = performance.now();
      const observe = (outcome: 'ok' | 'not-found' | 'unavailable' | 'refused') => this.options.onAttempt?.(operation, outcome, (performance.now() - started) / 1000);
      let response: Dispatcher.ResponseData;
      try {
        // A timeout, a refused connection or 502/503/504 is an outage for the circuit; any other answer closes it.
        response = await this.breaker.run(async () => {
          const answer = await this.agent.request({
            origin: this.base.origin,
            path: this.base.pathname + path,
            method,
            headers: { accept: 'application/json', ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers },
            ...(options.body !== undefined ? { body: options.body as string } : {}),
            headersTimeout: options.timeoutMs ?? this.options.timeoutMs,
            bodyTimeout: options.timeoutMs ?? this.options.timeoutMs,
          });
          if (!RETRYABLE_STATUS.has(answer.statusCode)) return answer;
          await answer.body.dump();
          throw new Error(`the core gateway answered ${answer.statusCode}`);
        });
      } catch (error) {
        if (error instanceof CircuitOpenError) throw new CoreUnavailableError('circuit open after repeated failures', error.retryAfterMs, { cause: lastFailure });
        observe('unavailable');
        lastFailure = error;
        continue;
      }
      observe(response.statusCode === 404 ? 'not-found' : response.statusCode < 400 ? 'ok' : 'refused');
      return this.answer(method, path, response, options);
    }
    throw new CoreUnavailableError(describe(lastFailure), this.options.circuitOpenMs, { cause: lastFailure });
  }

  private async answer<T extends z.ZodType>(method: string, path: string, response: Dispatcher.ResponseData, options: CallOptions<T>): Promise<z.output<T> | undefined> {
    const text = await response.body.text();
    if (response.statusCode === 404 && options.notFoundIsAbsent) return undefined;
    if (response.statusCode === 204 && !options.decode) return undefined;
    if (response.statusCode !== 200 || !options.decode) throw new CoreContractError(`${method} ${path}: the core gateway answered ${response.statusCode} ${text.slice(0, 200)}`);
    const parsed = options.decode.safeParse(safeJson(text));
    if (!parsed.success) throw new CoreContractError(`${method} ${path}: the answer does not fit the contract: ${parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
    return parsed.data;
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

/** Exponential backoff with equal jitter: half the step fixed, half random. */
function backoff(attempt: number): number {
  const step = BACKOFF_BASE_MS * 2 ** (attempt - 1);
  return step / 2 + Math.random() * (step / 2);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function describe(failure: unknown): string {
  if (failure instanceof Error) return (failure as Error & { code?: string }).code ?? failure.message;
  return 'no answer';
}
