import { z } from 'zod';
import { actorTypeEnum } from '@/db/schema';
import { isAuditAction } from '@/lib/audit/events';
import { check, invalidParams, storable } from './strict-params';

/** The audit log's URL, parsed (the page and its CSV export read the same keys). Bad values are dropped. */
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .optional()
  .catch(undefined);

const schema = z.object({
  actor: z.enum(actorTypeEnum.enumValues).optional().catch(undefined),
  actorId: z.string().trim().max(200).refine(storable).optional().catch(undefined),
  action: z
    .string()
    .optional()
    .transform((v) => (v ?? '').split(',').filter(isAuditAction))
    .catch([]),
  target: z.string().trim().max(200).refine(storable).optional().catch(undefined),
  from: day,
  to: day,
  q: z.string().trim().max(200).refine(storable).optional().catch(undefined),
  cursor: z.string().max(200).refine(storable).optional().catch(undefined),
  page: z.enum(['next', 'prev']).optional().catch(undefined),
});

export type AuditListParams = ReturnType<typeof parseAuditListParams>;

export function parseAuditListParams(raw: Record<string, string | string[] | undefined>) {
  const flat = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const p = schema.parse(flat);
  const next = (d: string) => new Date(new Date(`${d}T00:00:00Z`).getTime() + 86_400_000);
  const query = {
    actor: p.actor || p.actorId ? { type: p.actor, id: p.actorId || undefined } : undefined,
    actions: p.action.length ? p.action : undefined,
    target: p.target ? { id: p.target } : undefined,
    from: p.from ? new Date(`${p.from}T00:00:00Z`) : undefined,
    to: p.to ? next(p.to) : undefined,
    q: p.q || undefined,
  };
  return { raw: p, query, cursor: p.cursor ?? null, direction: p.page ?? ('next' as const) };
}

export function auditFilterSearch(params: AuditListParams, extra: Record<string, string | undefined> = {}): string {
  const { raw } = params;
  const entries: [string, string | undefined][] = [
    ['actor', raw.actor],
    ['actorId', raw.actorId],
    ['action', raw.action.join(',') || undefined],
    ['target', raw.target],
    ['from', raw.from],
    ['to', raw.to],
    ['q', raw.q],
    ...Object.entries(extra),
  ];
  return new URLSearchParams(entries.filter((e): e is [string, string] => Boolean(e[1]))).toString();
}

const strictChecks = {
  actor: check.oneOf(actorTypeEnum.enumValues),
  actorId: check.text(200),
  action: check.listOf(isAuditAction),
  target: check.text(200),
  from: check.day,
  to: check.day,
  q: check.text(200),
  cursor: check.text(200),
  page: check.oneOf(['next', 'prev']),
};

/** For the CSV export: what is wrong with the filter URL (empty when nothing is). */
export function invalidAuditListParams(search: URLSearchParams): string[] {
  return invalidParams(search, strictChecks);
}
