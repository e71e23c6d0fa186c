import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConsentErrors } from '../../../src/modules/consents/index.ts';
import { isAppError } from '../../../src/platform/errors/index.ts';
import { accessScopeOfObPermissions, OB_PERMISSIONS, obPermissionsOf } from '../../../src/standards/uk-obie/v4.0/_wire/ob-access-scope.ts';

const NO_WINDOW = { from: null, to: null };
const failsWith = (code: string) => (error: unknown) => isAppError(error) && error.code === code;

describe('OB v4.0 permissions <-> access scope', () => {
  it('maps each code to a data cluster at a level or to a transaction direction', () => {
    const window = { from: new Date('2026-01-01T00:00:00Z'), to: null };
    assert.deepEqual(accessScopeOfObPermissions(['ReadAccountsBasic', 'ReadBalances', 'ReadTransactionsDetail', 'ReadTransactionsCredits', 'ReadPartyPSU'], window), {
      clusters: { accounts: 'basic', balances: 'basic', transactions: 'detail', 'party-psu': 'basic' },
      directions: { credits: true, debits: false },
      window,
      accounts: 'psu-selects',
    });
  });

  it('grants a cluster asked for at both levels at detail, in either order', () => {
    for (const permissions of [['ReadAccountsDetail', 'ReadAccountsBasic'], ['ReadAccountsBasic', 'ReadAccountsDetail']]) {
      assert.deepEqual(accessScopeOfObPermissions(permissions, NO_WINDOW).clusters, { accounts: 'detail' });
    }
  });

  it('refuses unknown and repeated codes (the combinations are the scope’s own rules)', () => {
    for (const permissions of [['ReadEverything'], ['ReadBalances', 'ReadBalances']]) {
      assert.throws(() => accessScopeOfObPermissions(permissions, NO_WINDOW), failsWith(ConsentErrors.PERMISSIONS_INVALID.code), JSON.stringify(permissions));
    }
  });

  it('reads a scope back as the codes that express it, every code once', () => {
    // Every Basic code has a Detail one, which the scope keeps.
    assert.deepEqual(obPermissionsOf(accessScopeOfObPermissions(OB_PERMISSIONS, NO_WINDOW)), OB_PERMISSIONS.filter((code) => !code.endsWith('Basic')));
    for (const code of OB_PERMISSIONS) {
      const withDirection = code.startsWith('ReadTransactions') ? [code, code === 'ReadTransactionsCredits' ? 'ReadTransactionsBasic' : 'ReadTransactionsCredits'] : [code];
      assert.deepEqual(obPermissionsOf(accessScopeOfObPermissions(withDirection, NO_WINDOW)).sort(), [...new Set(withDirection)].sort(), code);
    }
  });
});
