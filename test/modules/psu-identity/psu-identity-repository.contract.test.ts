import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { createKyselyPsuIdentityRepository } from '../../../src/modules/psu-identity/infra/kysely-psu-identity-repository.ts';
import type { PsuIdentityRepository } from '../../../src/modules/psu-identity/psu-identity.repository.port.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../support/backends.ts';

for (const dialect of DIALECTS) {
  describe(`PSU identity repository contract (${dialect})`, () => {
    let database: TestDatabase;
    let repository: PsuIdentityRepository;
    /** A PSU of its own (and its bank party), as the bank's onboarding writes them. */
    const newPsu = async () => {
      const id = `psu-${randomUUID()}`;
      const partyId = `party-${randomUUID()}`;
      const username = `user-${randomUUID().slice(0, 8)}`;
      await sql`INSERT INTO bank_parties (id, party_number, party_kind, name, full_legal_name, created_at) VALUES (${partyId}, ${partyId}, 'Person', 'A Person', 'A Person', now())`.execute(database.db);
      await database.db.insertInto('psu_users').values({ id, username, password_hash: `hash-of-${id}`, totp_secret: `secret-of-${id}`, party_id: partyId }).execute();
      return { id, partyId, username, passwordHash: `hash-of-${id}`, totpSecret: `secret-of-${id}` };
    };

    before(async () => {
      database = await openTestDatabase(dialect);
      repository = createKyselyPsuIdentityRepository(database.db);
    });
    after(() => database.close());

    it('finds a PSU by username and by id, with its secrets; nothing for an unknown one', async () => {
      const psu = await newPsu();
      assert.deepEqual(await repository.findByUsername(psu.username), psu);
      assert.deepEqual(await repository.findById(psu.id), psu);
      assert.equal(await repository.findByUsername('nobody'), undefined);
      assert.equal(await repository.findById('psu-unknown'), undefined);
    });

    it('adds a passkey and lists it with its transports and no use yet; another PSU has none', async () => {
      const psu = await newPsu();
      await repository.addPasskey({ credentialId: `cred-${randomUUID()}`, psuId: psu.id, publicKey: 'pk-1', counter: 0n, transports: ['internal', 'hybrid'] });
      const listed = await repository.listPasskeys(psu.id);
      assert.equal(listed.length, 1);
      assert.deepEqual({ ...listed[0]!, createdAt: undefined, credentialId: undefined }, { credentialId: undefined, psuId: psu.id, publicKey: 'pk-1', counter: 0n, transports: ['internal', 'hybrid'], createdAt: undefined, lastUsedAt: null });
      assert.ok(listed[0]!.createdAt instanceof Date);
      assert.deepEqual(await repository.listPasskeys((await newPsu()).id), []);
    });

    it('finds a passkey only for the PSU it belongs to (attack: another PSU\'s credential id)', async () => {
      const owner = await newPsu();
      const other = await newPsu();
      const credentialId = `cred-${randomUUID()}`;
      await repository.addPasskey({ credentialId, psuId: owner.id, publicKey: 'pk', counter: 3n, transports: [] });
      assert.equal((await repository.findPasskey(owner.id, credentialId))?.counter, 3n);
      assert.equal(await repository.findPasskey(other.id, credentialId), undefined);
    });

    it('records a passkey use: the new counter and when', async () => {
      const psu = await newPsu();
      const credentialId = `cred-${randomUUID()}`;
      await repository.addPasskey({ credentialId, psuId: psu.id, publicKey: 'pk', counter: 1n, transports: [] });
      const at = new Date('2026-05-04T10:00:00Z');
      await repository.recordPasskeyUse(credentialId, 7n, at);
      const stored = await repository.findPasskey(psu.id, credentialId);
      assert.equal(stored?.counter, 7n);
      assert.equal(stored?.lastUsedAt?.toISOString(), at.toISOString());
    });
  });
}
