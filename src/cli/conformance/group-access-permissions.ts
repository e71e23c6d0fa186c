import type { ConformanceScript } from './manifest.ts';

export interface AccessGroup {
  readonly permissions: string[];
  readonly excluded: Set<string>;
  readonly scriptIds: string[];
}

/**
 * The account-access consents an AIS run needs: scripts that name `permissions` share a consent
 * when its permissions hold all of theirs and none that any of them excludes
 * (`permissions-excluded`), as the suite groups them. Scripts that name none run without a token.
 */
export function groupAccessPermissions(scripts: readonly ConformanceScript[]): AccessGroup[] {
  const groups: AccessGroup[] = [];
  for (const script of scripts) {
    const wanted = script.permissions ?? [];
    if (wanted.length === 0) continue;
    const excluded = script['permissions-excluded'] ?? [];
    const fits = (group: AccessGroup) => !wanted.some((p) => group.excluded.has(p)) && !excluded.some((p) => group.permissions.includes(p));
    let group = groups.find(fits);
    if (!group) {
      group = { permissions: [], excluded: new Set(), scriptIds: [] };
      groups.push(group);
    }
    for (const permission of wanted) if (!group.permissions.includes(permission)) group.permissions.push(permission);
    for (const permission of excluded) group.excluded.add(permission);
    group.scriptIds.push(script.id);
  }
  return groups;
}
