import type { Migrations } from '../../../platform/db/index.ts';
import * as auth from './0005-auth.ts';
import * as signingKeyActivation from './0041-signing-key-activation.ts';

/** The authorisation server's tables: oidc-provider's payloads and its signing keys (decision 0008h). */
export const authMigrations: Migrations = {
  '0005-auth': auth,
  '0041-signing-key-activation': signingKeyActivation,
};
