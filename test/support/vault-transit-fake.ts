import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { constants, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';

/** What one request to the fake looked like, and what it answered. */
export interface VaultExchange {
  readonly request: {
    readonly method: string;
    readonly path: string;
    readonly token: string | undefined;
    readonly namespace: string | undefined;
    readonly contentType: string | undefined;
    /** The parsed JSON body; undefined when there was none. */
    readonly body: unknown;
  };
  readonly response: { readonly status: number; readonly body: unknown };
}

export interface VaultTransitFakeOptions {
  /** The one token the fake accepts. */
  readonly token: string;
  readonly mount?: string;
  /** When set, requests must name this namespace (`X-Vault-Namespace`), as a token of that namespace would need. */
  readonly namespace?: string;
  /** How creating a key answers: 200 with the key (Vault 1.14 and later) or 204 without a body (before). */
  readonly createStatus?: 200 | 204;
}

type KeyType = 'rsa-2048' | 'ecdsa-p256';
interface HeldKey {
  readonly name: string;
  readonly type: KeyType;
  readonly exportable: boolean;
  readonly privateKey: KeyObject;
  readonly publicPem: string;
  readonly createdAt: string;
}

type Answer = { status: number; body?: unknown; warnings?: string[] };

const KEY_NAME = '\\w(?:[\\w.@-]*\\w)?';
const CREATE_FIELDS = ['type', 'derived', 'convergent_encryption', 'exportable', 'allow_plaintext_backup', 'auto_rotate_period', 'key_size', 'context'];
const SIGN_FIELDS = ['input', 'key_version', 'hash_algorithm', 'algorithm', 'marshaling_algorithm', 'signature_algorithm', 'salt_length', 'context', 'prehashed'];
const HASHES: Record<string, { node: string; bytes: number }> = { 'sha2-256': { node: 'sha256', bytes: 32 }, 'sha2-384': { node: 'sha384', bytes: 48 }, 'sha2-512': { node: 'sha512', bytes: 64 } };
const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const fail = (status: number, ...errors: string[]): Answer => ({ status, body: { errors } });

/**
 * A stand-in for HashiCorp Vault's transit secrets engine over HTTP on 127.0.0.1: the three
 * endpoints Portico calls — create key (`POST /v1/{mount}/keys/{name}`), read key (`GET` on the
 * same path) and sign data (`POST /v1/{mount}/sign/{name}/{hash}`) — answered the way Vault does
 * (test/fixtures/vault-transit/contract.json). It holds real key pairs (RSA 2048, ECDSA P-256) and
 * signs for real: `marshaling_algorithm` asn1 (DER, base64) or jws (R‖S for ECDSA, unpadded
 * base64url), RSA-PSS with Vault's `salt_length` (`auto`: the longest salt, `hash`: the hash's
 * length). Requests are checked as Vault checks them: the token (403), strict base64 input, known
 * hash and marshaling algorithms (400), an unknown key (404 on read, 400 on sign); unknown
 * parameters are ignored with a warning. Every exchange is kept in `exchanges`.
 */
export class VaultTransitFake {
  readonly exchanges: VaultExchange[] = [];
  private readonly keys = new Map<string, HeldKey>();
  private readonly routes: { keys: RegExp; sign: RegExp };
  private sealedFor = 0;

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
    private readonly options: VaultTransitFakeOptions,
  ) {
    const mount = (options.mount ?? 'transit').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    this.routes = { keys: new RegExp(`^/v1/${mount}/keys/(${KEY_NAME})$`), sign: new RegExp(`^/v1/${mount}/sign/(${KEY_NAME})(?:/([\\w-]+))?$`) };
  }

  static async start(options: VaultTransitFakeOptions): Promise<VaultTransitFake> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const fake = new VaultTransitFake(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, options);
    server.on('request', (req, res) => void fake.handle(req, res));
    return fake;
  }

  /** The type of a key the fake holds, or undefined. */
  keyType(name: string): KeyType | undefined {
    return this.keys.get(name)?.type;
  }

  /** The next `count` requests are answered 503 `Vault is sealed`, as a sealed (or restarting) Vault answers. */
  sealFor(count: number): void {
    this.sealedFor = count;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const path = new URL(req.url ?? '/', 'http://vault').pathname;
    let body: unknown;
    let answer: Answer;
    try {
      body = raw.trim() === '' ? undefined : JSON.parse(raw);
      answer = this.answer(req.method ?? 'GET', path, req.headers, body);
    } catch (error) {
      answer = fail(400, `failed to parse JSON input: ${(error as Error).message}`);
    }
    const wire = answer.status === 204 ? undefined : answer.body;
    this.exchanges.push({
      request: { method: req.method ?? '', path, token: header(req, 'x-vault-token'), namespace: header(req, 'x-vault-namespace'), contentType: header(req, 'content-type'), body },
      response: { status: answer.status, body: wire },
    });
    res.writeHead(answer.status, wire === undefined ? {} : { 'content-type': 'application/json' });
    res.end(wire === undefined ? undefined : JSON.stringify(wire));
  }

  private answer(method: string, path: string, headers: http.IncomingHttpHeaders, body: unknown): Answer {
    if (this.sealedFor > 0) {
      this.sealedFor -= 1;
      return fail(503, 'Vault is sealed');
    }
    // A missing or unknown token, or one of another namespace, is refused before anything else.
    if (headers['x-vault-token'] !== this.options.token || (this.options.namespace !== undefined && headers['x-vault-namespace'] !== this.options.namespace)) {
      return fail(403, 'permission denied');
    }
    if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body))) return fail(400, 'failed to parse JSON input: the body is not an object');
    const params = (body ?? {}) as Record<string, unknown>;
    const write = method === 'POST' || method === 'PUT';
    const keyRoute = this.routes.keys.exec(path);
    if (keyRoute && method === 'GET') return this.read(keyRoute[1]!);
    if (keyRoute && write) return this.withEnvelope(this.create(keyRoute[1]!, params), params, CREATE_FIELDS);
    const signRoute = this.routes.sign.exec(path);
    if (signRoute && write) return this.withEnvelope(this.sign(signRoute[1]!, signRoute[2], params), params, SIGN_FIELDS);
    if (keyRoute || signRoute) return fail(405);
    return fail(404, 'unsupported path');
  }

  private create(name: string, params: Record<string, unknown>): Answer {
    const existing = this.keys.get(name);
    if (existing) return { status: 200, body: this.describe(existing), warnings: [`key ${name} already existed`] };
    const type = params['type'] ?? 'aes256-gcm96';
    // The fake holds the two asymmetric types Portico makes; any other is refused as Vault refuses an unknown type.
    if (type !== 'rsa-2048' && type !== 'ecdsa-p256') return fail(400, `unknown key type ${String(type)}`);
    const pair = type === 'rsa-2048' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const key: HeldKey = {
      name,
      type,
      exportable: params['exportable'] === true,
      privateKey: pair.privateKey,
      publicPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      createdAt: new Date().toISOString(),
    };
    this.keys.set(name, key);
    return this.options.createStatus === 204 ? { status: 204 } : { status: 200, body: this.describe(key) };
  }

  private read(name: string): Answer {
    const key = this.keys.get(name);
    // Vault answers a read of nothing with 404 and no error text.
    return key ? this.withEnvelope({ status: 200, body: this.describe(key) }, {}, []) : fail(404);
  }

  private sign(name: string, urlHash: string | undefined, params: Record<string, unknown>): Answer {
    const hashName = urlHash ?? String(params['hash_algorithm'] ?? params['algorithm'] ?? 'sha2-256');
    const hash = HASHES[hashName];
    if (!hash) return fail(400, `invalid hash algorithm "${hashName}"`);
    const marshaling = String(params['marshaling_algorithm'] ?? 'asn1');
    if (marshaling !== 'asn1' && marshaling !== 'jws') return fail(400, `invalid marshaling type "${marshaling}"`);
    const saltParam = String(params['salt_length'] ?? 'auto').toLowerCase();
    if (saltParam !== 'auto' && saltParam !== 'hash' && !/^-?\d+$/.test(saltParam)) return fail(400, `salt length neither 'auto', 'hash', nor an int: ${saltParam}`);
    if (params['prehashed'] === true) return fail(400, 'prehashed input is not supported by this test double');
    const key = this.keys.get(name);
    if (!key) return fail(400, 'signing key not found');
    const input = params['input'] ?? '';
    if (typeof input !== 'string' || !STRICT_BASE64.test(input)) return fail(400, 'unable to decode input as base64: illegal base64 data');
    const versionParam = params['key_version'] ?? 0;
    if (!Number.isInteger(Number(versionParam)) || typeof versionParam === 'boolean') return fail(400, `error converting input ${String(versionParam)} for field "key_version"`);
    const version = Number(versionParam) === 0 ? 1 : Number(versionParam);
    if (version < 0) return fail(400, 'requested version for signing is negative');
    if (version > 1) return fail(400, 'requested version for signing is higher than the latest key version');

    const data = Buffer.from(input, 'base64');
    let signature: Buffer;
    if (key.type === 'ecdsa-p256') {
      signature = sign(hash.node, data, { key: key.privateKey, dsaEncoding: marshaling === 'jws' ? 'ieee-p1363' : 'der' });
    } else {
      const algorithm = String(params['signature_algorithm'] ?? 'pss') || 'pss';
      if (algorithm === 'pkcs1v15') {
        signature = sign(hash.node, data, { key: key.privateKey, padding: constants.RSA_PKCS1_PADDING });
      } else if (algorithm === 'pss') {
        const saltLength = pssSalt(saltParam, hash.bytes);
        if (saltLength === undefined) return fail(400, `requested salt length ${saltParam} is invalid`);
        signature = sign(hash.node, data, { key: key.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength });
      } else {
        return fail(500, `unsupported rsa signature algorithm ${algorithm}`);
      }
    }
    const encoded = marshaling === 'jws' ? signature.toString('base64url') : signature.toString('base64');
    return { status: 200, body: { signature: `vault:v${version}:${encoded}`, key_version: version } };
  }

  /** The key as Vault's read (and, since 1.14, create) describes it. */
  private describe(key: HeldKey): Record<string, unknown> {
    const rsa = key.type === 'rsa-2048';
    return {
      name: key.name,
      type: key.type,
      derived: false,
      deletion_allowed: false,
      exportable: key.exportable,
      allow_plaintext_backup: false,
      auto_rotate_period: 0,
      imported_key: false,
      latest_version: 1,
      min_available_version: 0,
      min_decryption_version: 1,
      min_encryption_version: 0,
      supports_encryption: rsa,
      supports_decryption: rsa,
      supports_derivation: false,
      supports_signing: true,
      keys: { '1': { name: rsa ? 'rsa-2048' : 'P-256', public_key: key.publicPem, certificate_chain: '', creation_time: key.createdAt } },
    };
  }

  /** A successful answer in Vault's envelope, with its warning for parameters the endpoint does not know. */
  private withEnvelope(answer: Answer, params: Record<string, unknown>, known: readonly string[]): Answer {
    if (answer.status !== 200) return answer;
    const ignored = Object.keys(params).filter((field) => !known.includes(field));
    const warnings = [...(answer.warnings ?? []), ...(ignored.length > 0 ? [`Endpoint ignored these unrecognized parameters: [${ignored.join(' ')}]`] : [])];
    return {
      status: 200,
      body: { request_id: randomUUID(), lease_id: '', renewable: false, lease_duration: 0, data: answer.body, wrap_info: null, warnings: warnings.length > 0 ? warnings : null, auth: null, mount_type: 'transit' },
    };
  }
}

/** Vault's salt lengths (Go's crypto/rsa): `auto` and 0 the longest, `hash` and -1 the hash's length, else that many bytes. */
function pssSalt(param: string, hashBytes: number): number | undefined {
  if (param === 'auto' || param === '0') return constants.RSA_PSS_SALTLEN_MAX_SIGN;
  if (param === 'hash' || param === '-1') return hashBytes;
  const length = Number(param);
  const longest = 256 - 2 - hashBytes;
  return length >= 1 && length <= longest ? length : undefined;
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}
