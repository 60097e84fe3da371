import { z } from 'zod';
import { accountStatusEnum } from '@/db/schema';
import { check, invalidParams, storable } from './strict-params';

/**
 * The accounts list's URL, parsed: the same keys drive the page, its CSV export and bulk actions
 * over "everything that matches", so all three see exactly one filter. Bad values are dropped (a
 * hand-edited URL shows the unfiltered list rather than an error).
 */
const STATUSES = accountStatusEnum.enumValues;
const SOURCES = ['jit', 'scim', 'manual'] as const;
export const SORTS = ['displayName', 'userName', 'status', 'lastLoginAt', 'createdAt'] as const;
export const PAGE_SIZES = [25, 50, 100] as const;

const list = <T extends string>(allowed: readonly T[]) =>
  z
    .string()
    .optional()
    .transform((v) => (v ?? '').split(',').filter((x): x is T => (allowed as readonly string[]).includes(x)))
    .catch([]);
const uuid = z.uuid().optional().catch(undefined);
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .optional()
  .catch(undefined);

const schema = z.object({
  q: z.string().trim().max(200).refine(storable).optional().catch(undefined),
  status: list(STATUSES),
  source: list(SOURCES),
  connection: uuid,
  role: z.string().trim().max(100).refine(storable).optional().catch(undefined),
  group: uuid,
  from: day,
  to: day,
  never: z.enum(['1', '0']).optional().catch(undefined),
  sort: z.enum(SORTS).optional().catch(undefined),
  dir: z.enum(['asc', 'desc']).optional().catch(undefined),
  cursor: z.string().max(500).refine(storable).optional().catch(undefined),
  page: z.enum(['next', 'prev']).optional().catch(undefined),
  size: z.coerce.number().pipe(z.union(PAGE_SIZES.map((n) => z.literal(n)) as [z.ZodLiteral<25>, z.ZodLiteral<50>, z.ZodLiteral<100>])).optional().catch(undefined),
});

export type AccountListParams = ReturnType<typeof parseAccountListParams>;

export function parseAccountListParams(raw: Record<string, string | string[] | undefined>) {
  const flat = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const p = schema.parse(flat);
  const filter = {
    q: p.q || undefined,
    status: p.status.length ? p.status : undefined,
    source: p.source.length ? p.source : undefined,
    connectionId: p.connection,
    roleKey: p.role || undefined,
    groupId: p.group,
    lastSignIn: p.from || p.to ? { from: p.from ? new Date(`${p.from}T00:00:00Z`) : undefined, to: p.to ? new Date(`${p.to}T00:00:00Z`) : undefined } : undefined,
    neverSignedIn: p.never === undefined ? undefined : p.never === '1',
  };
  const sort = { by: p.sort ?? 'displayName', dir: p.dir ?? (p.sort === 'lastLoginAt' || p.sort === 'createdAt' ? 'desc' : 'asc') } as const;
  return { raw: p, filter, sort, limit: p.size ?? 50, cursor: p.cursor ?? null, direction: p.page ?? ('next' as const) };
}

/** The filter part of the URL (for links that keep the filter: export, sort, pages). */
export function filterSearch(params: AccountListParams, extra: Record<string, string | undefined> = {}): string {
  const { raw } = params;
  const entries: [string, string | undefined][] = [
    ['q', raw.q],
    ['status', raw.status.join(',') || undefined],
    ['source', raw.source.join(',') || undefined],
    ['connection', raw.connection],
    ['role', raw.role],
    ['group', raw.group],
    ['from', raw.from],
    ['to', raw.to],
    ['never', raw.never],
    ...Object.entries(extra),
  ];
  return new URLSearchParams(entries.filter((e): e is [string, string] => Boolean(e[1]))).toString();
}

/** Whether any filter is set (the empty state then says to clear it, not to provision accounts). */
export function hasFilter(params: AccountListParams): boolean {
  return Object.values(params.filter).some((v) => v !== undefined);
}

const strictChecks = {
  q: check.text(200),
  status: check.listOf(STATUSES),
  source: check.listOf(SOURCES),
  connection: check.uuid,
  role: check.text(100),
  group: check.uuid,
  from: check.day,
  to: check.day,
  never: check.oneOf(['1', '0']),
  sort: check.oneOf(SORTS),
  dir: check.oneOf(['asc', 'desc']),
  cursor: check.text(500),
  page: check.oneOf(['next', 'prev']),
  size: check.oneOf(PAGE_SIZES.map(String)),
};

/** For the CSV export and bulk actions: what is wrong with the filter URL (empty when nothing is). */
export function invalidAccountListParams(search: URLSearchParams): string[] {
  return invalidParams(search, strictChecks);
}
