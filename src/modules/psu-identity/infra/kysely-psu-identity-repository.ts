import type { Selectable } from 'kysely';
import { ownTables, type Db } from '../../../platform/db/index.ts';
import type { PsuIdentityRepository, StoredPasskey, StoredPsu } from '../psu-identity.repository.port.ts';
import type { PsuIdentityTables, PsuPasskeysTable, PsuUsersTable } from './psu-identity.tables.ts';

const psuOf = (row: Pick<Selectable<PsuUsersTable>, 'id' | 'party_id' | 'username' | 'password_hash' | 'totp_secret'>): StoredPsu => ({
  id: row.id,
  partyId: row.party_id,
  username: row.username,
  passwordHash: row.password_hash,
  totpSecret: row.totp_secret,
});

const passkeyOf = (row: Selectable<PsuPasskeysTable>): StoredPasskey => ({
  credentialId: row.credential_id,
  psuId: row.psu_id,
  publicKey: row.public_key,
  counter: BigInt(row.counter),
  transports: row.transports,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
});

/** PSU identities in `psu_users` and their passkeys in `psu_passkeys`. */
export function createKyselyPsuIdentityRepository(database: Db): PsuIdentityRepository {
  const db = ownTables<PsuIdentityTables>(database);
  const users = () => db.selectFrom('psu_users').select(['id', 'party_id', 'username', 'password_hash', 'totp_secret']);
  return {
    findByUsername: async (username) => {
      const row = await users().where('username', '=', username).executeTakeFirst();
      return row && psuOf(row);
    },
    findById: async (psuId) => {
      const row = await users().where('id', '=', psuId).executeTakeFirst();
      return row && psuOf(row);
    },
    listPasskeys: async (psuId) => (await db.selectFrom('psu_passkeys').selectAll().where('psu_id', '=', psuId).orderBy('created_at').orderBy('credential_id').execute()).map(passkeyOf),
    findPasskey: async (psuId, credentialId) => {
      const row = await db.selectFrom('psu_passkeys').selectAll().where('credential_id', '=', credentialId).where('psu_id', '=', psuId).executeTakeFirst();
      return row && passkeyOf(row);
    },
    addPasskey: async (passkey) => {
      await db
        .insertInto('psu_passkeys')
        .values({ credential_id: passkey.credentialId, psu_id: passkey.psuId, public_key: passkey.publicKey, counter: passkey.counter, transports: JSON.stringify(passkey.transports) })
        .execute();
    },
    recordPasskeyUse: async (credentialId, counter, at) => {
      await db.updateTable('psu_passkeys').set({ counter, last_used_at: at }).where('credential_id', '=', credentialId).execute();
    },
  };
}
