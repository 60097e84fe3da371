import type { DescribableEvent } from './describe';

/** The ids whose display names describeEvent looks up, by kind: fetch these, then pass them as its NameBook. */
export type NamesNeeded = { accounts: string[]; connections: string[]; groups: string[]; scimTokens: string[]; roles: string[]; rules: string[] };

const ids = (value: unknown): string[] => (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string' && v !== '');

/** Pure: every id a page of events names (actors, targets, connections, members, roles, grant sources), each once. */
export function namesNeeded(events: DescribableEvent[]): NamesNeeded {
  const kinds = { accounts: new Set<string>(), connections: new Set<string>(), groups: new Set<string>(), scimTokens: new Set<string>(), roles: new Set<string>(), rules: new Set<string>() };
  const add = (kind: keyof typeof kinds, value: unknown) => ids(value).forEach((id) => kinds[kind].add(id));
  for (const event of events) {
    const data = event.data ?? {};
    if (event.actorType === 'admin' || event.actorType === 'user') add('accounts', event.actorId);
    if (event.actorType === 'scim') add('scimTokens', event.actorId);
    const byTarget = { account: 'accounts', group: 'groups', connection: 'connections', scim_token: 'scimTokens' } as const;
    const kind = byTarget[event.targetType as keyof typeof byTarget];
    if (kind) add(kind, event.targetId);
    add('connections', data.connectionId);
    add('accounts', [data.accountId, data.heldBy, ...ids(data.candidateIds), ...ids(data.added), ...ids(data.removed)]);
    add('roles', [data.roleId, event.after?.roleId]);
    const [source, ref] = (typeof data.sourceRef === 'string' ? data.sourceRef : '').split(/:(.*)/s);
    if (ref && (source === 'rule' || source === 'group' || source === 'connection')) add(source === 'rule' ? 'rules' : source === 'group' ? 'groups' : 'connections', ref);
  }
  return { accounts: [...kinds.accounts], connections: [...kinds.connections], groups: [...kinds.groups], scimTokens: [...kinds.scimTokens], roles: [...kinds.roles], rules: [...kinds.rules] };
}
