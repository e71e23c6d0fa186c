import { createPublicKey, randomBytes } from 'node:crypto';
import { Agent } from 'undici';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { z } from 'zod';
import type { CreatedSigningKey, KeyManager, StoredSigningKey } from './key-manager.ts';
import type { JwsAlg } from './jws-signing-keys.ts';

export interface VaultTransitKeyManagerOptions {
  /** Vault's address, e.g. `https://vault.bank.internal:8200`; plain http only to a loopback address. */
  readonly url: string;
  /** The token sent as `X-Vault-Token`: its policy grants `update` and `read` on `{mount}/keys/{prefix}-*` and `update` on `{mount}/sign/{prefix}-*`. */
  readonly token: string;
  /** Where the transit engine is mounted (default `transit`). */
  readonly mount?: string | undefined;
  /** The Vault Enterprise namespace (`X-Vault-Namespace`), if any. */
  readonly namespace?: string | undefined;
  /** CA certificate(s) (PEM) Vault's certificate must chain to; unset: Node's default store. */
  readonly caPem?: string | undefined;
  /** Longest wait for one call: connection, answer and body (default 5 s). */
  readonly timeoutMs?: number | undefined;
  /** The first part of every key name Portico makes (default `portico`). */
  readonly keyNamePrefix?: string | undefined;
}

/** A signing key held in Vault's transit engine, as Portico stores it: the key's name and the version that signs. */
export interface VaultKeyReference {
  readonly type: 'vault';
  readonly key: string;
  readonly version: number;
}

/** The transit key type of each JWS algorithm: RSA 2048 is the OB Security Profile's minimum for PS256. */
const KEY_TYPES = { PS256: 'rsa-2048', ES256: 'ecdsa-p256' } as const satisfies Record<JwsAlg, string>;
const JWK_TYPES = { PS256: 'RSA', ES256: 'EC' } as const satisfies Record<JwsAlg, string>;

/** Vault's key names: word characters, `-`, `.` and `@`, starting and ending with a word character. */
const KEY_NAME = /^\w(?:[\w.@-]*\w)?$/;
const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);
const CONNECTION_FAILURES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
const TIMEOUTS = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_ABORTED', 'ABORT_ERR']);

const readKeyAnswer = z.object({
  data: z.object({
    type: z.string(),
    exportable: z.boolean().optional(),
    keys: z.record(z.string(), z.object({ public_key: z.string() })),
  }),
});
const signAnswer = z.object({ data: z.object({ signature: z.string() }) });
const errorAnswer = z.object({ errors: z.array(z.string()) });

/** A call to Vault that failed: no answer in time, no connection, or an answer outside 2xx. */
export class VaultTransitError extends Error {
  constructor(
    message: string,
    /** Vault's HTTP status; undefined when Vault did not answer. */
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'VaultTransitError';
  }
}

/**
 * The `vault` key manager: keys made and used in HashiCorp Vault's transit secrets engine (Vault
 * 1.12 or later, which knows `salt_length`), never exportable, so private keys never leave Vault:
 * Portico stores a key's name and version and asks Vault for each signature. JWS form comes from
 * Vault itself: `marshaling_algorithm: jws` gives R‖S for ES256 in unpadded base64url, and PS256
 * asks for a salt as long as the hash (RFC 7518 §3.5; Vault's default is the longest salt). A signature is
 * asked again once after a lost connection or a 5xx (signing is safe to repeat); a key creation
 * never is, and a call that times out is not repeated, so no call waits longer than the timeout.
 */
export class VaultTransitKeyManager implements KeyManager {
  readonly type = 'vault' as const;
  private readonly agent: Agent;
  private readonly base: URL;
  private readonly mountPath: string;
  private readonly prefix: string;
  private readonly timeoutMs: number;

  constructor(private readonly options: VaultTransitKeyManagerOptions) {
    this.base = new URL(options.url);
    if (this.base.protocol !== 'https:' && !(this.base.protocol === 'http:' && LOOPBACK.has(this.base.hostname))) {
      throw new TypeError(`Vault is reached over https (plain http to a loopback address only): ${this.base.origin}`);
    }
    if (!options.token) throw new TypeError('a Vault token is required');
    this.prefix = options.keyNamePrefix ?? 'portico';
    if (!KEY_NAME.test(this.prefix)) throw new TypeError(`the Vault key name prefix "${this.prefix}" is not a valid key name`);
    const mount = (options.mount ?? 'transit').replace(/^\/+|\/+$/g, '');
    if (!mount) throw new TypeError('the Vault transit mount is empty');
    this.mountPath = mount.split('/').map(encodeURIComponent).join('/');
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.agent = new Agent({
      connect: { ...(options.caPem ? { ca: options.caPem } : {}), timeout: this.timeoutMs },
      keepAliveTimeout: 30_000,
    });
  }

  async createSigningKey(alg: JwsAlg, owner: string): Promise<CreatedSigningKey> {
    const name = `${this.prefix}-${owner.replace(/[^\w.-]+/g, '-')}-${randomBytes(8).toString('hex')}`;
    const keyPath = `keys/${encodeURIComponent(name)}`;
    // No `exportable`: the key can never be read out of Vault (it defaults to false and cannot be set later without a new key).
    await this.call('POST', keyPath, { type: KEY_TYPES[alg] }, { retry: false, ok: [200, 204] });
    const { data } = this.decode(readKeyAnswer, 'GET', keyPath, await this.call('GET', keyPath, undefined, { retry: true, ok: [200] }));
    const pem = data.keys['1']?.public_key;
    if (data.type !== KEY_TYPES[alg] || data.exportable === true || !pem) {
      throw new VaultTransitError(`Vault's key ${name} is not the new non-exportable ${KEY_TYPES[alg]} key asked for (type ${data.type}, exportable ${String(data.exportable)})`);
    }
    const jwk = createPublicKey(pem).export({ format: 'jwk' }) as JWK;
    if (jwk.kty !== JWK_TYPES[alg]) throw new VaultTransitError(`Vault's key ${name} has a ${String(jwk.kty)} public key, not ${JWK_TYPES[alg]}`);
    const kid = await calculateJwkThumbprint(jwk);
    const reference: VaultKeyReference = { type: 'vault', key: name, version: 1 };
    return { publicJwk: { ...jwk, kid, alg, use: 'sig' }, reference };
  }

  async sign(key: StoredSigningKey, signingInput: Uint8Array): Promise<Uint8Array> {
    if (!this.owns(key.reference)) throw new VaultTransitError(`the signing key ${key.kid} is not a Vault transit key`);
    const { key: name, version } = key.reference;
    const signPath = `sign/${encodeURIComponent(name)}/sha2-256`;
    const body = {
      input: Buffer.from(signingInput).toString('base64'),
      key_version: version,
      marshaling_algorithm: 'jws',
      ...(key.alg === 'PS256' ? { signature_algorithm: 'pss', salt_length: 'hash' } : {}),
    };
    const { data } = this.decode(signAnswer, 'POST', signPath, await this.call('POST', signPath, body, { retry: true, ok: [200] }));
    const match = /^vault:v(\d+):([A-Za-z0-9_-]+)$/.exec(data.signature);
    if (!match || Number(match[1]) !== version) throw new VaultTransitError(`Vault's signature with ${name} is not a jws-marshalled signature of version ${version}`);
    const signature = Buffer.from(match[2]!, 'base64url');
    if (key.alg === 'ES256' && signature.length !== 64) throw new VaultTransitError(`Vault's ES256 signature with ${name} is ${signature.length} bytes, not R‖S (64)`);
    return signature;
  }

  owns(reference: unknown): reference is VaultKeyReference {
    if (typeof reference !== 'object' || reference === null) return false;
    const { type, key, version } = reference as Partial<VaultKeyReference>;
    return type === 'vault' && typeof key === 'string' && KEY_NAME.test(key) && Number.isInteger(version) && version! >= 1;
  }

  close(): Promise<void> {
    return this.agent.close();
  }

  /** One call to `{mount}/{path}`, asked once more after a lost connection or a 5xx when `retry` says it is safe. */
  private async call(method: 'GET' | 'POST', path: string, body: unknown, options: { retry: boolean; ok: readonly number[] }): Promise<string> {
    const operation = `${method} /v1/${this.mountPath}/${path}`;
    for (let attempt = 1; ; attempt++) {
      const last = !options.retry || attempt === 2;
      let answer: { status: number; text: string };
      try {
        answer = await this.exchange(method, `/v1/${this.mountPath}/${path}`, body);
      } catch (error) {
        const code = failureCode(error);
        if (!last && CONNECTION_FAILURES.has(code)) continue;
        throw new VaultTransitError(`${operation}: ${this.redact(describe(code, this.base.origin, this.timeoutMs))}`, undefined, { cause: error });
      }
      if (options.ok.includes(answer.status)) return answer.text;
      if (!last && answer.status >= 500) continue;
      throw new VaultTransitError(`${operation}: Vault answered ${answer.status}: ${this.redact(vaultErrors(answer.text))}`, answer.status);
    }
  }

  private async exchange(method: 'GET' | 'POST', path: string, body: unknown): Promise<{ status: number; text: string }> {
    const response = await this.agent.request({
      origin: this.base.origin,
      path: this.base.pathname.replace(/\/+$/, '') + path,
      method,
      headers: {
        accept: 'application/json',
        'x-vault-token': this.options.token,
        ...(this.options.namespace ? { 'x-vault-namespace': this.options.namespace } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    return { status: response.statusCode, text: await response.body.text() };
  }

  private decode<T extends z.ZodType>(schema: T, method: string, path: string, text: string): z.output<T> {
    const parsed = schema.safeParse(safeJson(text));
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
      throw new VaultTransitError(`${method} /v1/${this.mountPath}/${path}: Vault's answer is not the transit engine's: ${issues}`);
    }
    return parsed.data;
  }

  /** Nothing Vault or the network says is repeated with the token in it. */
  private redact(text: string): string {
    return this.options.token.length < 8 ? text : text.split(this.options.token).join('[token]');
  }
}

function failureCode(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'ABORT_ERR';
    const code = (error as Error & { code?: unknown }).code;
    if (typeof code === 'string') return code;
    if (error.cause instanceof Error) return failureCode(error.cause);
    return error.message;
  }
  return 'no answer';
}

function describe(code: string, origin: string, timeoutMs: number): string {
  if (TIMEOUTS.has(code)) return `Vault at ${origin} did not answer within ${timeoutMs} ms`;
  if (CONNECTION_FAILURES.has(code) || code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `Vault at ${origin} could not be reached (${code})`;
  return `the call to Vault at ${origin} failed (${code})`;
}

/** Vault's `{"errors": [...]}`, or the start of whatever else it answered. */
function vaultErrors(text: string): string {
  const parsed = errorAnswer.safeParse(safeJson(text));
  if (!parsed.success) return text.slice(0, 200) || 'no body';
  return parsed.data.errors.length > 0 ? parsed.data.errors.join('; ').slice(0, 500) : 'no detail';
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
