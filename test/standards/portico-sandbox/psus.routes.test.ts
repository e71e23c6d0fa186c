import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Fastify, { type FastifyInstance } from 'fastify';
import { extractIBAN, isValidIBAN } from 'ibantools';
import { LedgerCoreBanking } from '../../../src/core/adapters/ledger/index.ts';
import { MemoryCache } from '../../../src/platform/cache/index.ts';
import { createPsuIdentityModule, generateTotp, LoginGuard, relyingPartyFor } from '../../../src/modules/psu-identity/index.ts';
import { createSandboxModule, generateSandboxBank, type SandboxPsuLogin } from '../../../src/modules/sandbox/index.ts';
import { EURO_AREA_COUNTRIES } from '../../../src/modules/sandbox/euro-area.ts';
import { sandboxPsusRoutes } from '../../../src/standards/portico-sandbox/v1/psus.routes.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../support/backends.ts';

const OPTIONS = { customers: 5, months: 1, seed: 3, asOf: new Date('2026-01-31T12:00:00Z') } as const;

for (const dialect of DIALECTS) {
  describe(`GET /sandbox/v1/psus (${dialect})`, () => {
    let database: TestDatabase;
    let server: FastifyInstance;
    let psus: SandboxPsuLogin[];
    const dataset = generateSandboxBank(OPTIONS);
    const countryOf = (username: string): string => {
      const psu = dataset.psus.find((p) => p.username === username)!;
      const party = dataset.parties.find((p) => p.id === psu.partyId)!;
      return (JSON.parse(party.address as string) as { country: string }).country;
    };

    before(async () => {
      database = await openTestDatabase(dialect);
      const sandbox = createSandboxModule({ db: database.db });
      await sandbox.seed(OPTIONS);
      server = Fastify();
      await server.register(sandboxPsusRoutes, { sandbox });
      const response = await server.inject({ method: 'GET', url: '/sandbox/v1/psus' });
      assert.equal(response.statusCode, 200);
      psus = response.json<SandboxPsuLogin[]>();
    });
    after(async () => {
      await server?.close();
      await database?.close();
    });

    it('lists every PSU with the fields it always had, its market and its accounts', () => {
      assert.equal(psus.length, OPTIONS.customers + EURO_AREA_COUNTRIES.length);
      assert.deepEqual(psus.map((p) => p.username), dataset.psus.map((p) => p.username));
      for (const psu of psus) {
        assert.deepEqual(Object.keys(psu), ['username', 'password', 'totpSecret', 'name', 'market', 'accounts', 'cardAccounts']);
        for (const field of ['username', 'password', 'totpSecret', 'name'] as const) assert.equal(typeof psu[field], 'string');
        assert.ok(psu.accounts.length >= 1, `${psu.username} reaches an account`);
      }
      const listed = psus.flatMap((p) => p.accounts.map((a) => a.accountId));
      assert.equal(new Set(listed).size, listed.length, 'no account is listed under two PSUs');
    });

    it('marks the UK PSUs UK, with sterling accounts known by sort code and account number', () => {
      for (const psu of psus.slice(0, OPTIONS.customers)) {
        assert.equal(psu.market, 'UK');
        assert.ok(psu.accounts.some((a) => a.currency === 'GBP'));
        for (const account of psu.accounts) {
          assert.match(account.sortCode!, /^\d{6}$/);
          assert.match(account.accountNumber!, /^\d{8}$/);
          assert.ok(account.iban!.startsWith('GB'));
        }
      }
    });

    it('marks the EU PSUs EU, with euro accounts whose IBANs are of the country they live in', () => {
      const eu = psus.slice(OPTIONS.customers);
      assert.deepEqual(eu.map((p) => countryOf(p.username)), [...EURO_AREA_COUNTRIES]);
      for (const psu of eu) {
        assert.equal(psu.market, 'EU');
        for (const account of psu.accounts) {
          assert.equal(account.currency, 'EUR');
          assert.equal(account.sortCode, null);
          assert.equal(account.accountNumber, null);
          assert.ok(isValidIBAN(account.iban!), account.iban!);
          assert.equal(extractIBAN(account.iban!).countryCode, countryOf(psu.username));
        }
      }
    });

    it('lets each EU PSU log in with the published password and a one-time code, and reach those accounts', async () => {
      const cache = new MemoryCache();
      const identity = createPsuIdentityModule({ db: database.db, cache, loginGuard: new LoginGuard(cache), relyingParty: relyingPartyFor('https://bank.example') });
      const core = new LedgerCoreBanking(database.db);
      for (const [i, psu] of psus.slice(OPTIONS.customers).entries()) {
        const source = { source: `198.51.100.${i + 1}` };
        const authenticated = await identity.authenticatePassword({ username: psu.username, password: psu.password }, source);
        await identity.verifyOneTimeCode(authenticated.psuId, generateTotp(psu.totpSecret, new Date()), source);
        const accounts = await core.listAccountsOfParty(authenticated.partyId);
        assert.deepEqual(accounts.map((a) => a.id), psu.accounts.map((a) => a.accountId));
        assert.deepEqual(accounts.map((a) => a.iban), psu.accounts.map((a) => a.iban));
        const cards = await core.listCardAccountsOfParty(authenticated.partyId);
        assert.deepEqual(cards.map((a) => [a.id, a.currency, a.card?.maskedPan]), psu.cardAccounts.map((a) => [a.accountId, 'EUR', a.maskedPan]), 'and their credit card account');
      }
    });
  });
}
