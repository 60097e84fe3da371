import { sql, type SQL } from 'drizzle-orm';
import type { AttrPath, CompareOp, FilterNode, FilterValue } from './filter-ast';
import { AppError } from '@/lib/errors';
import { isUuid } from '@/lib/ids';

/**
 * SCIM filter AST → a SQL condition, so lists are filtered by Postgres with its indexes, never in
 * memory. Each resource type supplies a resolver from attribute paths to column expressions.
 */
export type FilterAttribute =
  | { kind: 'text'; expr: SQL; caseExact: boolean }
  | { kind: 'boolean'; expr: SQL }
  | { kind: 'time'; expr: SQL }
  | { kind: 'uuid'; expr: SQL }
  /** Multi-valued: `from` (and `where`, correlating it to the row) yields elements; `element` resolves sub-attributes. */
  | { kind: 'multi'; from: SQL; where?: SQL; element: (sub: string) => FilterAttribute | null; defaultSub: string }
  /** Anything else, e.g. `schemas eq "…"`. */
  | { kind: 'custom'; compare: (op: CompareOp, value: FilterValue) => SQL; present: SQL };

export type FilterResolver = (path: AttrPath) => FilterAttribute | null;

/** A filter this layer cannot run: the client's fault (SCIM answers 400 invalidFilter). */
const invalid = (detail: string) => new AppError('invalid_input', detail, { scimType: 'invalidFilter' });
const SQL_OPS: Record<'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le', SQL> = {
  eq: sql.raw('='),
  ne: sql.raw('<>'),
  gt: sql.raw('>'),
  ge: sql.raw('>='),
  lt: sql.raw('<'),
  le: sql.raw('<='),
};

const escapeLike = (v: string) => v.replace(/[\\%_]/g, (c) => `\\${c}`);
const pathName = (p: AttrPath) => `${p.uri ? `${p.uri}:` : ''}${p.attr}${p.sub ? `.${p.sub}` : ''}`;

function compareText(attr: { expr: SQL; caseExact: boolean }, op: CompareOp, value: FilterValue, name: string): SQL {
  if (value === null) {
    if (op !== 'eq' && op !== 'ne') throw invalid(`null only compares with eq or ne (${name})`);
    return op === 'eq' ? sql`${attr.expr} is null` : sql`${attr.expr} is not null`;
  }
  if (typeof value === 'boolean') throw invalid(`${name} is a string attribute`);
  const v = String(value);
  const column = attr.caseExact ? attr.expr : sql`lower(${attr.expr})`;
  const param = (p: string) => (attr.caseExact ? sql`${p}` : sql`lower(${p})`);
  switch (op) {
    case 'co':
      return sql`${column} like ${param(`%${escapeLike(v)}%`)}`;
    case 'sw':
      return sql`${column} like ${param(`${escapeLike(v)}%`)}`;
    case 'ew':
      return sql`${column} like ${param(`%${escapeLike(v)}`)}`;
    case 'ne':
      return sql`(${attr.expr} is null or ${column} <> ${param(v)})`;
    default:
      return sql`${column} ${SQL_OPS[op]} ${param(v)}`;
  }
}

function compareBoolean(expr: SQL, op: CompareOp, value: FilterValue, name: string): SQL {
  const text = typeof value === 'string' ? value.toLowerCase() : value;
  if ((op !== 'eq' && op !== 'ne') || (text !== true && text !== false && text !== 'true' && text !== 'false')) {
    throw invalid(`${name} compares only with eq or ne against true or false`);
  }
  const wanted = (text === true || text === 'true') === (op === 'eq');
  return wanted ? sql`coalesce(${expr}, false)` : sql`not coalesce(${expr}, false)`;
}

/**
 * Timestamps are served to the millisecond, so they are compared as their millisecond value (index-friendly).
 * Four-digit years only; year 0 (which JavaScript reads, and Postgres refuses) is no time either.
 */
function compareTime(expr: SQL, op: CompareOp, value: FilterValue, name: string): SQL {
  const at = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? new Date(value) : null;
  if (!at || Number.isNaN(at.getTime()) || at.getUTCFullYear() < 1) throw invalid(`${name} compares with an ISO 8601 time from year 0001 on`);
  const from = at.toISOString();
  const next = new Date(at.getTime() + 1).toISOString();
  switch (op) {
    case 'eq':
      return sql`(${expr} >= ${from}::timestamptz and ${expr} < ${next}::timestamptz)`;
    case 'ne':
      return sql`(${expr} < ${from}::timestamptz or ${expr} >= ${next}::timestamptz)`;
    case 'gt':
      return sql`${expr} >= ${next}::timestamptz`;
    case 'ge':
      return sql`${expr} >= ${from}::timestamptz`;
    case 'lt':
      return sql`${expr} < ${from}::timestamptz`;
    case 'le':
      return sql`${expr} < ${next}::timestamptz`;
    default:
      throw invalid(`${name} does not support ${op}`);
  }
}

function compareUuid(expr: SQL, op: CompareOp, value: FilterValue, name: string): SQL {
  if (typeof value !== 'string') throw invalid(`${name} compares with a string`);
  if (op === 'eq' || op === 'ne') {
    if (!isUuid(value)) return op === 'eq' ? sql`false` : sql`true`;
    return sql`${expr} ${SQL_OPS[op]} ${value}::uuid`;
  }
  return compareText({ expr: sql`${expr}::text`, caseExact: false }, op, value, name);
}

function compare(attr: FilterAttribute, path: AttrPath, op: CompareOp, value: FilterValue): SQL {
  const name = pathName(path);
  switch (attr.kind) {
    case 'text':
      return compareText(attr, op, value, name);
    case 'boolean':
      return compareBoolean(attr.expr, op, value, name);
    case 'time':
      return compareTime(attr.expr, op, value, name);
    case 'uuid':
      return compareUuid(attr.expr, op, value, name);
    case 'custom':
      return attr.compare(op, value);
    case 'multi': {
      const element = attr.element(path.sub ?? attr.defaultSub);
      if (!element || element.kind === 'multi') throw invalid(`Unknown attribute '${name}'`);
      return exists(attr, compare(element, { ...path, sub: null }, op, value));
    }
  }
}

function exists(attr: Extract<FilterAttribute, { kind: 'multi' }>, condition: SQL): SQL {
  return attr.where
    ? sql`exists (select 1 from ${attr.from} where ${attr.where} and ${condition})`
    : sql`exists (select 1 from ${attr.from} where ${condition})`;
}

function present(attr: FilterAttribute, path: AttrPath): SQL {
  if (attr.kind === 'custom') return attr.present;
  if (attr.kind === 'multi') {
    const element = attr.element(path.sub ?? attr.defaultSub);
    if (!element || element.kind === 'multi') throw invalid(`Unknown attribute '${pathName(path)}'`);
    return exists(attr, present(element, { ...path, sub: null }));
  }
  if (attr.kind === 'text') return sql`(${attr.expr} is not null and ${attr.expr} <> '')`;
  return sql`${attr.expr} is not null`;
}

/** The SQL condition for a parsed filter; unknown attributes and bad comparisons are 400 invalidFilter. */
export function filterToSql(node: FilterNode, resolve: FilterResolver): SQL {
  const attribute = (path: AttrPath) => {
    const found = resolve(path);
    if (!found) throw invalid(`Unknown or unfilterable attribute '${pathName(path)}'`);
    return found;
  };
  switch (node.type) {
    case 'and':
      return sql`(${filterToSql(node.left, resolve)} and ${filterToSql(node.right, resolve)})`;
    case 'or':
      return sql`(${filterToSql(node.left, resolve)} or ${filterToSql(node.right, resolve)})`;
    case 'not':
      return sql`not coalesce(${filterToSql(node.expr, resolve)}, false)`;
    case 'present':
      return present(attribute(node.path), node.path);
    case 'compare':
      return compare(attribute(node.path), node.path, node.op, node.value);
    case 'valuePath': {
      const attr = attribute({ ...node.path, sub: null });
      if (attr.kind !== 'multi' || node.path.sub) throw invalid(`'${pathName(node.path)}' is not a multi-valued attribute`);
      const inner = filterToSql(node.filter, (p) => (p.uri || p.sub ? null : attr.element(p.attr)));
      return exists(attr, inner);
    }
  }
}
