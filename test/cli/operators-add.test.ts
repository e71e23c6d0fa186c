import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TOTP } from 'otpauth';
import { createOperatorsModule } from '../../src/modules/operators/index.ts';
import { LoginGuard, relyingPartyFor } from '../../src/modules/psu-identity/index.ts';
import { openTestDatabase, openTestCache, type TestDatabase } from '../support/backends.ts';
import { runPortico } from '../support/run-portico.ts';

/** `portico operators add`: the first admin of a bank, made without the console (PostgreSQL). */
describe('portico operators add (PostgreSQL)', () => {
  let database: TestDatabase;
  let env: Record<string, string>;
  before(async () => {
    database = await openTestDatabase('postgres');
    env = { DATABASE_URL: database.url!, DATA_DIR: await fs.mkdtemp(path.join(os.tmpdir(), 'portico-operators-')), LOG_LEVEL: 'error', SANDBOX: 'false', PUBLIC_URL: 'https://bank.example', KEY_ENCRYPTION_KEYS: Buffer.alloc(32, 7).toString('base64') };
  });
  after(() => database.close());

  it('prints a generated password and TOTP secret once; the login works with them, as the role given', async () => {
    const run = await runPortico(['operators', 'add', 'ada.lovelace', '--role', 'admin'], env);
    assert.equal(run.code, 0, run.stderr);
    const password = /^ {2}password {5}(\S+)$/m.exec(run.stdout)?.[1];
    const secret = /^ {2}TOTP secret {2}(\S+) /m.exec(run.stdout)?.[1];
    assert.ok(password && password.length >= 20, run.stdout);
    assert.ok(secret, run.stdout);
    assert.match(run.stdout, /They log in at https:\/\/bank\.example\/ops\./);
    const cache = openTestCache('operators-add');
    try {
      const operators = createOperatorsModule({ db: database.db, loginGuard: new LoginGuard(cache), cache, relyingParty: relyingPartyFor('https://bank.example') });
      const operator = await operators.authenticatePassword('ada.lovelace', password, '192.0.2.1');
      assert.equal(operator.role, 'admin');
      const code = new TOTP({ secret, digits: 6, period: 30 }).generate();
      assert.equal((await operators.verifyOneTimeCode(operator.id, code, '192.0.2.1')).username, 'ada.lovelace');
    } finally {
      await cache.close();
    }
    // The command is an operator action for the audit trail, through the outbox; the password is not in it.
    const events = await database.db.selectFrom('outbox_events').select(['event_type', 'payload']).where('event_type', '=', 'OperatorActed').execute();
    assert.equal(events.length, 1);
    assert.doesNotMatch(JSON.stringify(events[0]!.payload), new RegExp(password));
  });

  it('answers a bad role or a missing username with its usage and exit code 2, and adds no one', async () => {
    for (const args of [['operators', 'add', 'grace', '--role', 'root'], ['operators', 'add', '--role', 'admin']]) {
      const run = await runPortico(args, env);
      assert.equal(run.code, 2, args.join(' '));
      assert.equal(run.stderr.split('\n').filter((line) => line.startsWith('portico:')).join('\n'), 'portico: usage: portico operators add USERNAME --role viewer|operator|admin');
    }
    assert.equal((await database.db.selectFrom('operators').select('username').where('username', '=', 'grace').execute()).length, 0);
  });
});
