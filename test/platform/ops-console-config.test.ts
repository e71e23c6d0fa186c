import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/platform/config/index.ts';

describe('operations console configuration (OPS_OIDC_*)', () => {
  it('no single sign-on by default', () => {
    assert.equal(loadConfig({}, '/srv/portico').opsConsole.oidc, undefined);
  });

  it('the issuer, client id and secret together, the username claim defaulting to preferred_username', () => {
    const config = loadConfig({ OPS_OIDC_ISSUER: 'https://sso.bank.example/realms/staff/', OPS_OIDC_CLIENT_ID: 'portico-ops', OPS_OIDC_CLIENT_SECRET: 's3cret' }, '/srv/portico');
    assert.deepEqual(config.opsConsole.oidc, { issuer: 'https://sso.bank.example/realms/staff', clientId: 'portico-ops', clientSecret: 's3cret', usernameClaim: 'preferred_username' });
  });

  it('fails closed at start when half configured, or on plain http to another machine', () => {
    assert.throws(() => loadConfig({ OPS_OIDC_ISSUER: 'https://sso.bank.example' }, '/'), /OPS_OIDC_CLIENT_ID must be set with OPS_OIDC_ISSUER/);
    assert.throws(() => loadConfig({ OPS_OIDC_CLIENT_ID: 'a', OPS_OIDC_CLIENT_SECRET: 'b' }, '/'), /OPS_OIDC_ISSUER must be set with/);
    assert.throws(() => loadConfig({ OPS_OIDC_ISSUER: 'http://sso.bank.example', OPS_OIDC_CLIENT_ID: 'a', OPS_OIDC_CLIENT_SECRET: 'b' }, '/'), /OPS_OIDC_ISSUER must use https/);
    assert.equal(loadConfig({ OPS_OIDC_ISSUER: 'http://127.0.0.1:9000', OPS_OIDC_CLIENT_ID: 'a', OPS_OIDC_CLIENT_SECRET: 'b' }, '/').opsConsole.oidc?.issuer, 'http://127.0.0.1:9000');
  });
});
