import { randomBytes } from 'node:crypto';
import type { Db } from '../../src/platform/db/index.ts';
import { DataKeyRing, KeySealer, PersonalDataCipher } from '../../src/platform/keystore/index.ts';

/** A personal data cipher over a test database's data keys, sealed under a fresh key-encryption key. */
export async function testPersonalDataCipher(db: Db, sealer = new KeySealer([randomBytes(32)])): Promise<PersonalDataCipher> {
  return new PersonalDataCipher(await DataKeyRing.load(db, sealer, 'personal-data'));
}
