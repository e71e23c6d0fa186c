import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { createKyselyPsuIdentityRepository } from '../../../src/modules/psu-identity/infra/kysely-psu-identity-repository.ts';
import type { PsuIdentityRepository, StoredPsu } from '../../../src/modules/psu-identity/psu-identity.repository.port.ts';
import { InMemoryPsuIdentityRepository } from '../../support/in-memory-psu-identity-repository.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../support/backends.ts';

/** A repository under test, and how a PSU gets into it (the bank's onboarding, outside the module). */
interface Subject {
  readonly repository: PsuIdentityRepository;
  addPsu(psu: StoredPsu): Promise<void>;
  close(): Promise<void>;
}

async function kyselySubject(dialect: (typeof DIALECTS)[number]): Promise<Subject> {
  const database: TestDatabase = await openTestDatabase(dialect);
  return {
    repository: createKyselyPsuIdentityRepository(database.db),
    async addPsu(psu) {
      await sql`INSERT INTO bank_parties (id, party_number, party_kind, name, full_legal_name, created_at) VALUES (${psu.partyId}, ${psu.partyId}, 'Person', 'A Person', 'A Person', now())`.execute(database.db);
      await database.db.insertInto('psu_users').values({ id: psu.id, username: psu.username, password_hash: psu.passwordHash, totp_secret: psu.totpSecret, party_id: psu.partyId }).execute();
    },
    close: () => database.close(),
  };
}

function inMemorySubject(): Subject {
  const repository = new InMemoryPsuIdentityRepository();
  return { repository, addPsu: async (psu) => repository.addPsu(psu), close: async () => undefined };
}

const SUBJECTS: Array<[string, () => Promise<Subject>]> = [...DIALECTS.map((dialect): [string, () => Promise<Subject>] => [dialect, () => kyselySubject(dialect)]), ['in memory', async () => inMemorySubject()]];

for (const [name, open] of SUBJECTS) {
  describe(`PSU identity repository contract (${name})`, () => {
    let subject: Subject;
    let repository: PsuIdentityRepository;
    /** A PSU of its own (and its bank party). */
    const newPsu = async () => {
      const id = `psu-${randomUUID()}`;
      const psu = { id, partyId: `party-${randomUUID()}`, username: `user-${randomUUID().slice(0, 8)}`, passwordHash: `hash-of-${id}`, totpSecret: `secret-of-${id}` };
      await subject.addPsu(psu);
      return psu;
    };

    before(async () => {
      subject = await open();
      repository = subject.repository;
    });
    after(() => subject.close());

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
