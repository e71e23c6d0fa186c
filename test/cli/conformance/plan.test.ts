import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupAccessPermissions } from '../../../src/cli/conformance/group-access-permissions.ts';
import { loadManifests } from '../../../src/cli/conformance/manifest.ts';
import { tokenRouteOf } from '../../../src/cli/conformance/token-route.ts';

const manifests = loadManifests();

describe('conformance run plan', () => {
  it('groups the AIS scripts into consents that hold every permission a script names and none it excludes', () => {
    const scripts = manifests.scripts.accounts;
    const groups = groupAccessPermissions(scripts);
    assert.ok(groups.length >= 2 && groups.length <= 6, `a handful of consents, got ${groups.length}`);
    for (const group of groups) {
      for (const id of group.scriptIds) {
        const s = scripts.find((candidate) => candidate.id === id)!;
        for (const p of s.permissions ?? []) assert.ok(group.permissions.includes(p), `${id} needs ${p}`);
        for (const p of s['permissions-excluded'] ?? []) assert.ok(!group.permissions.includes(p), `${id} excludes ${p}`);
      }
    }
    assert.equal(groups.flatMap((g) => g.scriptIds).length, scripts.filter((s) => s.permissions?.length).length);
  });

  it('sends client credentials to consent resources and payment reads, the PSU token to submissions and funds checks', () => {
    const byId = (api: 'payments' | 'cbpii' | 'vrp', id: string) => tokenRouteOf(api, manifests.scripts[api].find((s) => s.id === id)!);
    assert.equal(byId('payments', 'OB-400-DOP-100300'), 'client-credentials');
    assert.equal(byId('payments', 'OB-400-DOP-100500'), 'consent');
    assert.equal(byId('payments', 'OB-400-DOP-100600'), 'consent');
    assert.equal(byId('payments', 'OB-400-DOP-100700'), 'client-credentials');
    assert.equal(byId('payments', 'OB-400-DOP-101101'), 'consent');
    assert.equal(byId('cbpii', 'OB-400-CBPII-000004'), 'consent');
    assert.equal(byId('cbpii', 'OB-400-CBPII-000003'), 'client-credentials');
    assert.equal(byId('vrp', 'OB-400-VRP-100650'), 'consent');
    assert.equal(byId('vrp', 'OB-400-VRP-102100'), 'client-credentials');
  });
});
