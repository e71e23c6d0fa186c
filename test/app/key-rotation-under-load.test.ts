import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { compactVerify, createLocalJWKSet, decodeProtectedHeader, flattenedVerify, jwtVerify, type JSONWebKeySet } from 'jose';
import { rotateSigningKeys } from '../../src/auth/index.ts';
import { LocalKeyManager } from '../../src/platform/keystore/index.ts';
import { createSetSigner } from '../../src/standards/uk-obie/v4.0/index.ts';
import { OB_CRIT, PISP, pisPost, startPisFixture, type PisFixture } from '../support/pis-access.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A TPP's copy of the bank's JWKS, fetched from the jwks_uri every second on its own schedule and
 * never on an unknown kid: a verifier that only succeeds if every key is published before it signs.
 */
class CachedBankJwks {
  private jwks: JSONWebKeySet = { keys: [] };
  /** When this copy first held each kid. */
  readonly firstSeen = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly fetchJwks: () => Promise<JSONWebKeySet>) {}

  async start(): Promise<void> {
    await this.fetch();
    this.timer = setInterval(() => void this.fetch().catch(() => undefined), 1000);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  get current(): JSONWebKeySet {
    return this.jwks;
  }

  private async fetch(): Promise<void> {
    const jwks = await this.fetchJwks();
    for (const key of jwks.keys) if (key.kid && !this.firstSeen.has(key.kid)) this.firstSeen.set(key.kid, Date.now());
    this.jwks = jwks;
  }
}

describe('signing key rotation under load (PostgreSQL)', () => {
  let fixture: PisFixture;
  let jwksPath: string;

  before(async () => {
    // Instances reload the keys every second, so the rotation below reaches this one without a restart.
    fixture = await startPisFixture('postgres', { tpp: 'Rotation Load TPP', other: 'Rotation Other TPP' }, { SIGNING_KEYS_REFRESH_SECONDS: '1' });
    const discovery = (await fixture.app.request('/.well-known/openid-configuration')).json<{ jwks_uri: string }>();
    jwksPath = new URL(discovery.jwks_uri).pathname;
  });
  after(async () => {
    await fixture?.app.close();
  });

  it('no signature fails to verify before, during or after the overlap; the new keys sign from their activation; the old ones then leave the JWKS', async () => {
    const { app, tpp } = fixture;
    const provider = app.portico.authorizationServer;
    const jwks = new CachedBankJwks(async () => (await app.request(jwksPath)).json<JSONWebKeySet>());
    await jwks.start();
    const client = (await provider.Client.find(tpp.clientId))!;
    const setSigner = createSetSigner({ keys: app.portico.signingKeys });
    const token = await tpp.clientCredentialsToken('payments');

    const failures: string[] = [];
    const signedWith = new Map<string, number>();
    const used = (kid: string | undefined) => {
      if (kid && !signedWith.has(kid)) signedWith.set(kid, Date.now());
    };
    let verified = 0;
    let running = true;

    // Response signatures over the wire: a TPP stages payment consents and checks each x-jws-signature.
    const stageConsents = async () => {
      while (running) {
        const body = JSON.stringify({
          Data: {
            Initiation: {
              InstructionIdentification: `ROT-${randomUUID().slice(0, 8)}`,
              EndToEndIdentification: `E2E-${randomUUID().slice(0, 8)}`,
              LocalInstrument: 'UK.OBIE.FPS',
              InstructedAmount: { Amount: '1.00', Currency: 'GBP' },
              CreditorAccount: fixture.bobCreditor,
            },
          },
          Risk: { PaymentContextCode: 'TransferToThirdParty' },
        });
        const response = await pisPost(tpp, '/domestic-payment-consents', { token, body });
        try {
          assert.equal(response.status, 201, response.text);
          const [protectedHeader, , signature] = String(response.headers['x-jws-signature']).split('.');
          used(decodeProtectedHeader(String(response.headers['x-jws-signature'])).kid);
          await flattenedVerify({ protected: protectedHeader!, payload: response.body.toString('base64url'), signature: signature! }, createLocalJWKSet(jwks.current), { algorithms: ['PS256'], crit: OB_CRIT });
          verified += 1;
        } catch (error) {
          failures.push(`${PISP}/domestic-payment-consents: ${(error as Error).message}`);
        }
      }
    };
    // ID tokens (oidc-provider, PS256) and event SETs (ES256) signed by this instance as it runs.
    const signTokens = async () => {
      while (running) {
        try {
          const idToken = await new provider.IdToken({ sub: 'psu-rotation' }, { client }).issue({ use: 'idtoken' });
          used(decodeProtectedHeader(idToken).kid);
          await jwtVerify(idToken, createLocalJWKSet(jwks.current), { audience: tpp.clientId });
          const set = await setSigner.sign({ iss: 'https://bank', iat: 0, jti: randomUUID(), aud: tpp.clientId, sub: 'x', txn: 'x', toe: 0, events: {} });
          used(decodeProtectedHeader(set).kid);
          await compactVerify(set, createLocalJWKSet(jwks.current), { algorithms: ['ES256'] });
          verified += 2;
        } catch (error) {
          failures.push(`token: ${(error as Error).message}`);
        }
        await sleep(5);
      }
    };

    const load = [stageConsents(), stageConsents(), signTokens()];
    const before = { PS256: app.portico.signingKeys.signingKid('PS256'), ES256: app.portico.signingKeys.signingKid('ES256') };
    await sleep(1500);
    // `portico keys rotate --activate-in-seconds 4 --keep-retired-seconds 3`, as another process would run it.
    const rotation = await rotateSigningKeys(app.portico.database.db, { keys: new LocalKeyManager(app.portico.sealer), activateAfterSeconds: 4, keepRetiredForSeconds: 3 });
    const expiry = rotation.activatesAt.getTime() + 3000;
    await sleep(expiry - Date.now() + 1500);
    running = false;
    await Promise.all(load);
    jwks.stop();

    assert.deepEqual(failures, [], 'every signature verified against the TPP’s cached JWKS');
    assert.ok(verified > 50, `a load ran throughout (${verified} signatures verified)`);
    for (const kid of [...Object.values(before), ...rotation.created]) assert.ok(signedWith.has(kid), `${kid} signed during the run`);
    for (const kid of rotation.created) {
      assert.ok(signedWith.get(kid)! >= rotation.activatesAt.getTime() - 50, `${kid} signed only from its activation`);
      assert.ok(jwks.firstSeen.get(kid)! < signedWith.get(kid)!, `${kid} was in the TPP's copy of the JWKS before its first signature`);
    }
    const published = (await app.request(jwksPath)).json<JSONWebKeySet>().keys.map((key) => key.kid).sort();
    assert.deepEqual(published, [...rotation.created].sort(), 'the retired keys left the JWKS after the overlap');
  });
});
