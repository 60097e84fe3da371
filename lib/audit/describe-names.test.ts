import { describe, expect, it } from 'vitest';
import { namesNeeded } from './describe-names';

describe('namesNeeded', () => {
  it('collects, once each, every id describeEvent looks up', () => {
    const needed = namesNeeded([
      { action: 'role.granted', actorType: 'admin', actorId: 'dana', targetType: 'account', targetId: 'carol', data: { roleId: 'auditor', source: 'birthright', sourceRef: 'rule:r1' } },
      { action: 'role.granted', actorType: 'scim', actorId: 'token', targetType: 'account', targetId: 'carol', data: { roleId: 'auditor', source: 'group', sourceRef: 'group:g1' } },
      { action: 'group.members_changed', actorType: 'scim', actorId: 'token', targetType: 'group', targetId: 'g2', data: { added: ['alice'], removed: ['bob'] } },
      { action: 'login.succeeded', actorType: 'user', actorId: 'subject-1', targetType: 'account', targetId: 'bob', data: { connectionId: 'okta' } },
      { action: 'account.restore_held', actorType: 'scim', actorId: 'token', targetType: 'account', targetId: 'erin', data: { heldBy: 'dana' } },
      { action: 'group.role_mapped', actorType: 'admin', actorId: 'dana', targetType: 'group', targetId: 'g1', after: { roleId: 'sales' } },
      { action: 'role.granted', actorType: 'user', actorId: null, targetType: 'account', targetId: 'bob', data: { source: 'birthright', sourceRef: 'connection:okta' } },
      { action: 'scim_token.revoked', actorType: 'cli', actorId: 'root', targetType: 'scim_token', targetId: 'token-2', data: {} },
    ]);
    expect(needed).toEqual({
      accounts: ['dana', 'carol', 'alice', 'bob', 'subject-1', 'erin'],
      connections: ['okta'],
      groups: ['g1', 'g2'],
      scimTokens: ['token', 'token-2'],
      roles: ['auditor', 'sales'],
      rules: ['r1'],
    });
  });
});
