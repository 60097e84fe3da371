import type { AdapterFactory, AdapterPayload } from 'oidc-provider';

type Entry = { value: AdapterPayload | string; expiresAt: number };

/** The models revoked with their grant (as in oidc-provider's own adapter). */
const grantable = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);

/**
 * oidc-provider's storage for one IdP instance, in memory. Its bundled MemoryAdapter keeps one
 * module-wide LRU (1000 entries) shared by every provider in the process and warns on each start;
 * this one is per instance and drops entries when they expire.
 */
export function memoryAdapter(): AdapterFactory {
  const store = new Map<string, Entry>();
  const grants = new Map<string, Set<string>>();
  const now = () => Date.now();

  const get = (key: string) => {
    const entry = store.get(key);
    if (entry && entry.expiresAt <= now()) store.delete(key);
    return entry && entry.expiresAt > now() ? entry.value : undefined;
  };
  const set = (key: string, value: AdapterPayload | string, expiresIn: number) => {
    for (const [k, e] of store) if (e.expiresAt <= now()) store.delete(k);
    store.set(key, { value, expiresAt: now() + expiresIn * 1000 });
  };
  const payload = (key: string) => {
    const value = get(key);
    return typeof value === 'object' ? value : undefined;
  };
  const pointer = (key: string) => {
    const value = get(key);
    return typeof value === 'string' ? value : undefined;
  };

  return (model) => {
    const key = (id: string) => `${model}:${id}`;
    return {
      async upsert(id, data, expiresIn) {
        if (model === 'Session' && data.uid) set(`sessionUid:${data.uid}`, id, expiresIn);
        if (data.userCode) set(`userCode:${data.userCode}`, id, expiresIn);
        if (data.grantId && grantable.has(model)) grants.set(data.grantId, (grants.get(data.grantId) ?? new Set()).add(key(id)));
        set(key(id), data, expiresIn);
      },
      find: async (id) => payload(key(id)),
      findByUid: async (uid) => payload(key(pointer(`sessionUid:${uid}`) ?? '')),
      findByUserCode: async (userCode) => payload(key(pointer(`userCode:${userCode}`) ?? '')),
      async consume(id) {
        const data = payload(key(id));
        if (data) data.consumed = Math.floor(now() / 1000);
      },
      async destroy(id) {
        store.delete(key(id));
      },
      async revokeByGrantId(grantId) {
        for (const k of grants.get(grantId) ?? []) store.delete(k);
        grants.delete(grantId);
      },
    };
  };
}
