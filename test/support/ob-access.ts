import type { AccessScope } from '../../src/modules/consents/index.ts';
import { accessScopeOfObPermissions } from '../../src/standards/uk-obie/v4.0/_wire/ob-access-scope.ts';

/** The access scope OB permission codes ask for, as the OB facade maps them (no transaction window unless given). */
export function obAccess(permissions: readonly string[], window: AccessScope['window'] = { from: null, to: null }): AccessScope {
  return accessScopeOfObPermissions(permissions, window);
}
