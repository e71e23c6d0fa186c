import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import { EC_P256, generateKeyPair, privateKeyToPem, randomSerialNumber, x509 } from '../../src/platform/tls/index.ts';

/** A SET the receiver accepted: its verified claims, and the subject of the client certificate it came over. */
export interface ReceivedSet {
  readonly jti: string;
  readonly claims: JWTPayload;
  readonly clientCertificateSubject: string;
  readonly receivedAt: number;
}

/** How the receiver answers: accepts (202), fails (500), or never answers (the push times out). */
export type ReceiverMode = 'accept' | 'fail' | 'hang';

/**
 * A TPP's event-notification endpoint, as a real HTTPS server on localhost: its own CA and server
 * certificate (the CA file is what the bank is told to trust, EVENTS_PUSH_CA_FILE), mutual TLS that
 * requires a client certificate from the bank's CA, and every SET verified against the bank's JWKS
 * before it is counted. It can be stopped and started again on the same port.
 */
export class SetReceiver {
  readonly received: ReceivedSet[] = [];
  /** Every request that reached the handler, accepted or not. */
  attempts = 0;
  mode: ReceiverMode = 'accept';
  private server: https.Server | undefined;
  private port = 0;
  private trust: { bankCaPem: string; bankJwks: JSONWebKeySet; audience: string } | undefined;

  private constructor(
    readonly caFile: string,
    private readonly certPem: string,
    private readonly keyPem: string,
    /** Verify each SET's signature (a benchmark's receiver may only count them). */
    private readonly verify: boolean,
  ) {}

  /** Creates the receiver's CA and server certificate; `caFile` is ready before the bank starts. */
  static async create(options: { readonly verify?: boolean } = {}): Promise<SetReceiver> {
    const now = Date.now();
    const caKeys = await generateKeyPair(EC_P256);
    const ca = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: randomSerialNumber(),
      name: 'CN=Test TPP Receiver CA, O=Test TPP, C=GB',
      notBefore: new Date(now - 60_000),
      notAfter: new Date(now + 24 * 3600_000),
      keys: caKeys,
      signingAlgorithm: EC_P256,
      extensions: [new x509.BasicConstraintsExtension(true, 0, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true)],
    });
    const keys = await generateKeyPair(EC_P256);
    const leaf = await x509.X509CertificateGenerator.create({
      serialNumber: randomSerialNumber(),
      subject: 'CN=localhost, O=Test TPP, C=GB',
      issuer: ca.subject,
      notBefore: new Date(now - 60_000),
      notAfter: new Date(now + 24 * 3600_000),
      publicKey: keys.publicKey,
      signingKey: caKeys.privateKey,
      signingAlgorithm: EC_P256,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension([
          { type: 'dns', value: 'localhost' },
          { type: 'ip', value: '127.0.0.1' },
        ]),
      ],
    });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'set-receiver-'));
    const caFile = path.join(dir, 'ca.pem');
    await writeFile(caFile, ca.toString('pem'));
    return new SetReceiver(caFile, leaf.toString('pem'), await privateKeyToPem(keys.privateKey), options.verify ?? true);
  }

  /** Starts serving (on the same port as before, once it had one), trusting the bank's CA and keys. */
  async start(trust?: { bankCaPem: string; bankJwks: JSONWebKeySet; audience: string }): Promise<void> {
    if (trust) this.trust = trust;
    const { bankCaPem, bankJwks, audience } = this.trust!;
    const keys = createLocalJWKSet(bankJwks);
    const server = https.createServer({ cert: this.certPem, key: this.keyPem, ca: [bankCaPem], requestCert: true, rejectUnauthorized: true }, (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.attempts += 1;
        if (this.mode === 'hang') return;
        if (this.mode === 'fail') {
          response.writeHead(500).end();
          return;
        }
        void (async () => {
          if (request.method !== 'POST' || !request.url?.endsWith('/event-notifications') || request.headers['content-type'] !== 'application/jwt' || !request.headers['x-fapi-financial-id']) {
            response.writeHead(400).end();
            return;
          }
          const token = Buffer.concat(chunks).toString('utf8');
          try {
            const payload = this.verify ? (await jwtVerify(token, keys, { audience, typ: 'secevent+jwt' })).payload : decodeJwt(token);
            const certificate = (request.socket as TLSSocket).getPeerCertificate();
            this.received.push({ jti: String(payload.jti), claims: payload, clientCertificateSubject: JSON.stringify(certificate.subject), receivedAt: Date.now() });
            response.writeHead(202, { 'x-fapi-interaction-id': String(request.headers['x-fapi-interaction-id'] ?? '') }).end();
          } catch {
            response.writeHead(400).end();
          }
        })();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops serving: connections are refused until `start` again. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The callback URL a TPP registers: the receiver on localhost (sandbox mode allow-lists https://localhost:*). */
  get callbackUrl(): string {
    return `https://localhost:${this.port}/tpp/v4.0`;
  }

  /** How often each jti was received. */
  counts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const set of this.received) counts.set(set.jti, (counts.get(set.jti) ?? 0) + 1);
    return counts;
  }
}
