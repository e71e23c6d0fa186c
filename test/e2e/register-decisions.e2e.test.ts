import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createRegistersModule } from '../../src/modules/directory/index.ts';
import { createHttpsFetch } from '../../src/platform/https-client/index.ts';
import { synchroniseConfiguredRegister } from '../../src/app/register-sync.ts';
import { startTestPortico, type TestPortico } from '../support/start-test-portico.ts';
import { TppClient, REDIRECT_URI } from '../support/tpp-client.ts';
import { TestDirectory } from '../support/test-directory.ts';
import { pisPost } from '../support/pis-access.ts';
import type { ObError } from '../support/ob-errors.ts';
import { TestFcaRegister } from '../support/test-fca-register.ts';

const ASPSP = { ASPSP_ORG_ID: 'RegisterBank0001', FX_CONTRACT_KEY: Buffer.alloc(32, 9).toString('base64') };
const PAYMENT_CONSENT = JSON.stringify({
  Data: {
    Initiation: {
      InstructionIdentification: 'REG-1',
      EndToEndIdentification: 'REG-1',
      InstructedAmount: { Amount: '5.00', Currency: 'GBP' },
      CreditorAccount: { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: '04000412345678', Name: 'Shop Ltd' },
    },
  },
  Risk: {},
});

const frnOf = (organizationIdentifier: string) => organizationIdentifier.replace(/^PSDGB-FCA-/, '');

describe('decisions on every call from the FCA register (SANDBOX=false, REGISTERS=fca, postgres)', () => {
  let directory: TestDirectory;
  let fca: TestFcaRegister;
  let app: TestPortico;
  const fetch = createHttpsFetch({ allowPlainHttp: true });

  /** What a worker's scheduled sync does, now. */
  const synchroniseFca = async (addFrns: string[] = []) => {
    const registers = createRegistersModule({ db: app.portico.database.db, cache: app.portico.cache });
    return (await synchroniseConfiguredRegister('FCA', { config: app.portico.config, registers, fetch }, { addFrns })).diff;
  };
  const onboard = async (name: string, permissions: string[]) => {
    const tpp = await directory.onboard(name, ['AISP', 'PISP'], [REDIRECT_URI]);
    const organizationIdentifier = directory.organisations.get(tpp.organisationId)!.organizationIdentifier;
    fca.firms.set(frnOf(organizationIdentifier), { status: 'Authorised', permissions });
    return { client: new TppClient(app, tpp), frn: frnOf(organizationIdentifier) };
  };

  before(async () => {
    directory = await TestDirectory.start();
    fca = new TestFcaRegister();
    await fca.start();
    app = await startTestPortico('postgres', {
      ...directory.environment,
      ...ASPSP,
      ...fca.environment,
    });
  });
  after(async () => {
    await app?.close();
    await directory?.close();
    await fca?.close();
    await fetch.close();
  });

  it('a UK TPP no held register lists is looked up at the FCA register on its first request, and held from then on', async () => {
    const { client, frn } = await onboard('Looked Up Ltd', ['Account Information Services', 'Payment Initiation Services']);
    await client.register();
    assert.ok(client.clientId);
    const held = await createRegistersModule({ db: app.portico.database.db, cache: app.portico.cache }).heldEntityCodes('FCA');
    assert.ok(held.includes(frn), 'the firm is held for the scheduled syncs');
  });

  it('attack: a TPP the directory vouches for but the FCA register does not know cannot register; once it is listed and synchronised, it can', async () => {
    const { client, frn } = await onboard('Unlisted Then Listed Ltd', ['Account Information Services', 'Payment Initiation Services']);
    fca.firms.delete(frn);
    const refused = await client.registration();
    assert.equal(refused.status, 403, refused.text);
    assert.equal(refused.json<{ error: string }>().error, 'access_denied');
    // Listed now, but the miss is remembered for ten minutes: the operator adds it (portico registers sync --frn).
    fca.firms.set(frn, { status: 'Authorised', permissions: ['Account Information Services', 'Payment Initiation Services'] });
    assert.equal((await client.registration()).status, 403);
    const diff = await synchroniseFca([frn]);
    assert.equal(diff?.counts.added, 1);
    await client.register();
    assert.ok(client.clientId);
  });

  it('attack: wrong role — once the register narrows a TPP to AIS, it cannot initiate payments (403) though its certificate says PISP; AIS still works', async () => {
    const { client, frn } = await onboard('Narrowed To Ais Ltd', ['Account Information Services', 'Payment Initiation Services']);
    await synchroniseFca([frn]);
    await client.register();
    const paymentsToken = await client.clientCredentialsToken('payments');
    assert.equal((await pisPost(client, '/domestic-payment-consents', { token: paymentsToken, body: PAYMENT_CONSENT })).status, 201);
    fca.firms.set(frn, { status: 'Authorised', permissions: ['Account Information Services'] });
    const diff = await synchroniseFca();
    assert.deepEqual(diff?.changed.map((change) => change.entityCode), [frn]);
    const payment = await pisPost(client, '/domestic-payment-consents', { token: paymentsToken, body: PAYMENT_CONSENT });
    assert.equal(payment.status, 403, payment.text);
    assert.equal(payment.json<ObError>().Errors[0]?.ErrorCode, 'U014');
    assert.ok(await client.createAccountAccessConsent(['ReadAccountsBasic']));
  });

  it('attack: TPP withdrawn in the register — its tokens stop working on its next call once the register is synchronised', async () => {
    const { client, frn } = await onboard('Soon Withdrawn Ltd', ['Account Information Services', 'Payment Initiation Services']);
    await synchroniseFca([frn]);
    await client.register();
    const token = await client.clientCredentialsToken('accounts');
    const consent = (fresh: string) =>
      client.mtls('/open-banking/v4.0/aisp/account-access-consents', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${fresh}`, 'x-fapi-interaction-id': randomUUID() },
        body: JSON.stringify({ Data: { Permissions: ['ReadAccountsBasic'] }, Risk: {} }),
      });
    assert.equal((await consent(token)).status, 201);
    fca.firms.set(frn, { status: 'No longer authorised', permissions: [] });
    const diff = await synchroniseFca();
    assert.ok(diff?.withdrawn.some((change) => change.entityCode === frn));
    const refused = await consent(token);
    assert.equal(refused.status, 403, refused.text);
    assert.equal(refused.json<ObError>().Errors[0]?.ErrorCode, 'U014');
    assert.match(refused.text, /authorisation withdrawn/);
    const newToken = await client.mtls('/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `grant_type=client_credentials&scope=accounts&client_id=${client.clientId}` });
    assert.notEqual(newToken.status, 200, 'no new token either');
  });
});
