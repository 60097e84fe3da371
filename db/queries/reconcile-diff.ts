import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from '@/db';
import { stageTableName } from './reconcile-staging';

/**
 * The reconciliation diff, set-based: one statement over a run's staged records and the
 * organization's accounts (never a loop over accounts, never across organizations).
 *
 * Matching, in this order, the first key that finds any account deciding (lib/reconcile/README in
 * the docs says it in words):
 *   0. the SCIM id (SCIM-directory source only: the pushed person is that account);
 *   1. employee number (exact);
 *   2. externalId (exact, as SCIM keeps it);
 *   3. email (case-insensitive), only when its domain is verified for the organization: allowed by
 *      one of its enabled connections (the notion of lib/lifecycle/identity/find-person.ts).
 * Deprovisioned accounts never match. A row whose deciding key finds several accounts, and every
 * row of several that decide on one account, is a conflict: never a guess.
 */
/** The keys in matching order (the first that finds any account decides). */
export const matchKeys = ['scimId', 'employeeNumber', 'externalId', 'email'] as const;
export type MatchKey = (typeof matchKeys)[number];

export type DiffInput = {
  runId: string;
  /** The keys the source has (its mapping's, or the SCIM id alone for the SCIM directory): only these are joined. */
  keys: readonly MatchKey[];
  organizationId: string;
  /** The run's day (YYYY-MM-DD, UTC): an end date before it is past. */
  asOfDate: string;
  /** Profile fields (camelCase) and custom attributes the source speaks about: drift compares these only. */
  spoken: { profile: string[]; extra: string[] };
  /** The planned action of each stored category. */
  actions: { drift: string; orphan: string; stale: string; missing: string; conflict: string };
  /** The run whose findings decide what is new. */
  previousRunId: string | null;
  /**
   * Per key, the values that may be on several rows (lib/reconcile/duplicate-keys.ts: every duplicate and
   * some hash collisions), so only their rows are counted; a key absent or null has all its rows counted.
   */
  duplicateCandidates?: Partial<Record<'employeeNumber' | 'externalId' | 'email', string[] | null>>;
};

const columnOf: Record<string, string> = {
  userName: 'user_name',
  email: 'email',
  displayName: 'display_name',
  givenName: 'given_name',
  familyName: 'family_name',
  department: 'department',
  title: 'title',
  employeeNumber: 'employee_number',
  manager: 'manager',
};

/** The attributes that differ: { field: { source, roster } } (email compared case-insensitively). */
function driftOf(input: DiffInput): SQL {
  const parts: SQL[] = [sql`'{}'::jsonb`];
  for (const field of input.spoken.profile) {
    const column = columnOf[field];
    if (!column) continue;
    const s = sql.raw(`s.${column}`);
    const a = field === 'email' ? sql.raw('lower(a.email)') : sql.raw(`a.${column}`);
    parts.push(sql`(case when ${s} is distinct from ${a} then jsonb_build_object(${field}::text, jsonb_build_object('source', ${s}, 'roster', ${sql.raw(`a.${column}`)})) else '{}'::jsonb end)`);
  }
  for (const name of input.spoken.extra) {
    const s = sql`(s.extra_attributes ->> ${name}::text)`;
    const a = sql`(a.extra_attributes ->> ${name}::text)`;
    parts.push(sql`(case when ${s} is distinct from ${a} then jsonb_build_object(${`extra.${name}`}::text, jsonb_build_object('source', ${s}, 'roster', ${a})) else '{}'::jsonb end)`);
  }
  return sql.join(parts, sql` || `);
}

/** The CTEs up to `classified`: one row per source row that is something, and one per orphan. */
function classified(input: DiffInput): SQL {
  const org = sql`${input.organizationId}::uuid`;
  const live = sql`a.organization_id = ${org} and a.status <> 'deprovisioned'`;
  const branch: Record<MatchKey, SQL> = {
    scimId: sql`select s.line, 0 as k, a.id from s join accounts a on a.id = s.account_id and ${live}`,
    employeeNumber: sql`select s.line, 1 as k, a.id from s join accounts a on a.employee_number = s.employee_number and ${live}`,
    externalId: sql`select s.line, 2 as k, a.id from s join accounts a on a.external_id = s.external_id and ${live}`,
    email: sql`select s.line, 3 as k, a.id from s join accounts a on lower(a.email) = s.email and ${live} where split_part(s.email, '@', 2) in (select d from domains)`,
  };
  const branches = matchKeys.filter((k) => input.keys.includes(k)).map((k) => branch[k]);
  if (branches.length === 0) throw new Error('reconcile diff: no matching key');
  const keyName = sql`(case x.k when 0 then 'scimId' when 1 then 'employeeNumber' when 2 then 'externalId' when 3 then 'email' end)`;
  return sql`
    s as not materialized (select * from ${sql.identifier(stageTableName(input.runId))}),
    domains as (select distinct lower(d) as d from connections c, unnest(c.allowed_domains) d where c.organization_id = ${org} and c.enabled),
    pairs as materialized (${sql.join(branches, sql` union all `)}),
    chosen as materialized (
      select line, k, id, count(*) over (partition by line) as n
      from (select line, k, id, min(k) over (partition by line) as first from pairs) p where k = first),
    single as (select line, k, id as account_id from chosen where n = 1),
    ambiguous as (select line, min(k) as k, array_agg(id order by id) as ids from chosen where n > 1 group by line),
    claimed as (select account_id, array_agg(line order by line) as lines from single group by account_id having count(*) > 1),
    x as (
      select s.*, coalesce(one.k, amb.k) as k, (case when one.line is not null then 1 when amb.line is not null then cardinality(amb.ids) end) as n,
        one.account_id as matched_id, cl.lines as claim_lines, amb.ids as candidates, a.status as a_status, a.user_name as a_user_name,
        (coalesce(s.active, true) = false or (s.end_date is not null and s.end_date < ${input.asOfDate}::date)) as inactive,
        coalesce('employeeNumber:' || s.employee_number, 'externalId:' || s.external_id, 'email:' || s.email, 'scimId:' || s.account_id::text, 'line:' || s.line) as source_key,
        (case when one.line is not null then ${driftOf(input)} end) as drift
      from s
      left join single one on one.line = s.line
      left join claimed cl on cl.account_id = one.account_id
      left join ambiguous amb on amb.line = s.line
      left join accounts a on a.id = one.account_id and a.organization_id = ${org}),
    rows as (
      select x.*, (case
          when x.n > 1 or x.claim_lines is not null then 'conflict'
          when x.n = 1 and x.inactive and x.a_status = 'active' then 'stale'
          when x.n = 1 and x.drift <> '{}'::jsonb then 'drift'
          when x.n = 1 then 'matched'
          when not x.inactive then 'missing'
        end) as category
      from x),
    classified as (
      select x.category, (case when x.n = 1 then x.matched_id end) as account_id, x.source_key, x.line,
        (case when x.category in ('stale', 'drift') then x.category || ':' || x.matched_id::text else x.category || ':' || x.source_key end) as finding_key,
        (case x.category
          when 'matched' then null
          when 'conflict' then (case when x.n > 1
            then jsonb_build_object('reason', 'several_accounts', 'key', ${keyName}, 'candidates', to_jsonb(x.candidates))
            else jsonb_build_object('reason', 'several_rows', 'key', ${keyName}, 'candidates', jsonb_build_array(x.matched_id), 'lines', to_jsonb(x.claim_lines), 'userName', x.a_user_name) end)
          when 'stale' then jsonb_build_object('key', ${keyName}, 'userName', x.a_user_name, 'reason', (case when coalesce(x.active, true) = false then 'inactive' else 'ended' end), 'endDate', x.end_date, 'attributes', x.drift)
          when 'drift' then jsonb_build_object('key', ${keyName}, 'userName', x.a_user_name, 'attributes', x.drift)
          when 'missing' then jsonb_build_object('employeeNumber', x.employee_number, 'externalId', x.external_id, 'email', x.email, 'userName', x.user_name, 'displayName', x.display_name, 'startDate', x.start_date)
        end) as details
      from rows x where x.category is not null
      union all
      select 'orphan', a.id, null, null, 'orphan:' || a.id::text,
        jsonb_build_object('userName', a.user_name, 'email', a.email, 'source', a.source, 'scimManaged', a.scim_managed_at is not null, 'scimActive', a.scim_active)
      from accounts a where a.organization_id = ${org} and a.status = 'active' and not exists (select 1 from chosen c where c.id = a.id))`;
}

/**
 * Runs a diff statement with nested loops off (in its own transaction): its intermediate sets are
 * CTEs without statistics, which the planner guesses at 0.5% of their size; a nested loop chosen on
 * that guess over two 100k-row sets never finishes, while hash joins are linear at any size (the
 * organization's accounts are still read through their indexes).
 */
async function hashJoined(db: Tx, statement: SQL): Promise<Record<string, unknown>[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local enable_nestloop = off`);
    // Its sorts and hashes over a million rows fit in memory instead of spilling to disk (one statement, a daily
    // job): at 1M rows the widest hash (matched rows with their accounts' values) is 122 MB, past 64MB × hash_mem_multiplier.
    await tx.execute(sql`set local work_mem = '128MB'`);
    return [...(await tx.execute<Record<string, unknown>>(statement))];
  });
}

const actionOf = (input: DiffInput) => sql`(case c.category
  when 'drift' then ${input.actions.drift}::text when 'orphan' then ${input.actions.orphan}::text when 'stale' then ${input.actions.stale}::text
  when 'missing' then ${input.actions.missing}::text when 'conflict' then ${input.actions.conflict}::text else 'report' end)`;

export type DuplicateKey = { key: 'employeeNumber' | 'externalId' | 'email'; value: string; lines: number[] };
export type DiffTotals = {
  categories: Record<string, number>;
  actions: Record<string, number>;
  newCount: number;
  /** The previous run's findings this run no longer has. */
  resolvedCount: number;
  /** Keys on more than one row of the file (a sanity error): how many, and the first few. */
  duplicates: { total: number; first: DuplicateKey[] };
};

function totalsOf(rows: { kind: string; name: string; n: number }[]): DiffTotals {
  const totals: DiffTotals = { categories: {}, actions: {}, newCount: 0, resolvedCount: 0, duplicates: { total: 0, first: [] } };
  let single = 0;
  let claimed = 0;
  for (const r of rows) {
    if (r.kind === 'category') totals.categories[r.name] = r.n;
    else if (r.kind === 'single') single = r.n;
    else if (r.kind === 'claimed') claimed = r.n;
    else if (r.kind === 'action') totals.actions[r.name] = r.n;
    else if (r.kind === 'new') totals.newCount = r.n;
    else if (r.kind === 'resolved') totals.resolvedCount = r.n;
    else if (r.kind === 'duplicate') {
      totals.duplicates.total = r.n;
      totals.duplicates.first.push(JSON.parse(r.name) as DuplicateKey);
    }
  }
  totals.duplicates.first.sort((a, b) => (a.lines[0] ?? 0) - (b.lines[0] ?? 0));
  // Matched rows are not stored, and counting them from the classified rows would make Postgres keep all
  // of those (a million) to read them twice: a row with one account is a conflict (claimed with others), stale, drift or matched.
  totals.categories.matched = single - claimed - (totals.categories.stale ?? 0) - (totals.categories.drift ?? 0);
  return totals;
}

/** The file's duplicate keys (of the keys it matches by), from the staged rows the diff reads anyway (one pass fewer than a query of its own). */
function duplicates(input: DiffInput): SQL {
  const column: Partial<Record<MatchKey, string>> = { employeeNumber: 'employee_number', externalId: 'external_id', email: 'email' };
  // Counted by hashing (no sort of the whole file); lines are looked up for the first ten duplicates only (a run with any halts).
  const keyed = input.keys.filter((k) => column[k]);
  if (keyed.length === 0) return sql`dup_first as (select null::text as key, null::text as value, 0 as total, null::int[] as lines where false)`;
  const col = (k: MatchKey) => sql.raw(column[k]!);
  const candidates = (k: MatchKey) => (k === 'scimId' ? null : input.duplicateCandidates?.[k]);
  // A key whose candidates are known counts only their rows (none: nothing to count); else every row is grouped.
  const checked = keyed.filter((k) => candidates(k)?.length !== 0);
  if (checked.length === 0) return sql`dup_first as (select null::text as key, null::text as value, 0 as total, null::int[] as lines where false)`;
  const keys = sql.join(
    checked.map((k) => {
      const only = candidates(k);
      // As JSON (any text, quotes and newlines included, arrives intact), unpacked once into an array.
      const where = only ? sql`${col(k)} in (select jsonb_array_elements_text(${JSON.stringify(only)}::jsonb))` : sql`${col(k)} is not null`;
      return sql`select ${k}::text as key, ${col(k)} as value from s where ${where} group by ${col(k)} having count(*) > 1`;
    }),
    sql` union all `,
  );
  const lineOf = (k: MatchKey) => sql`when ${k}::text then (select array_agg(line) from (select s2.line from s s2 where s2.${col(k)} = f.value order by s2.line limit 5) l)`;
  return sql`
    dup_keys as (${keys}),
    dup_top as (select key, value, count(*) over ()::int as total from dup_keys order by key, value limit 10),
    dup_first as (select f.key, f.value, f.total, (case f.key ${sql.join(keyed.map(lineOf), sql` `)} end) as lines from dup_top f)`;
}

/**
 * Diffs the run's staged records against the accounts and stores the findings (all but `matched`,
 * which is only counted), each with its planned action and whether it is new against the previous
 * run. One statement; returns the counts by category and by planned action, how many are new and
 * how many of the previous run's are resolved, and the keys that appear on several rows of the file.
 * (Resolved is counted against the diff's own rows in the same statement, hashed: no second query
 * left to the planner's guesses about a run whose findings its statistics have not seen yet.)
 */
export async function insertReconcileFindings(db: Tx, input: DiffInput): Promise<DiffTotals> {
  const rows = await hashJoined(db, insertSqlForExplain(input));
  return totalsOf(rows as { kind: string; name: string; n: number }[]);
}

/** The statement of insertReconcileFindings (EXPLAIN it to see the plan). */
export function insertSqlForExplain(input: DiffInput): SQL {
  const previous = sql`${input.previousRunId}::uuid`;
  return sql`with ${classified(input)}, ${duplicates(input)},
    ins as (
      insert into reconcile_findings (run_id, organization_id, category, account_id, source_key, line, finding_key, details, action, is_new)
      select ${input.runId}::uuid, ${input.organizationId}::uuid, c.category::reconcile_category, c.account_id, c.source_key, c.line, c.finding_key, coalesce(c.details, '{}'::jsonb), ${actionOf(input)},
        (${previous} is null or not exists (select 1 from reconcile_findings p where p.run_id = ${previous} and p.finding_key = c.finding_key))
      from classified c where c.category <> 'matched'
      order by c.line nulls last, c.account_id
      returning category, action, is_new, finding_key)
    select 'category' as kind, category::text as name, count(*)::int as n from ins group by category
    union all select 'single', 'single', count(*)::int from single
    union all select 'claimed', 'claimed', coalesce(sum(cardinality(lines)), 0)::int from claimed
    union all select 'action', action, count(*)::int from ins group by action
    union all select 'new', 'new', count(*)::int from ins where is_new
    union all select 'resolved', 'resolved', count(*)::int from reconcile_findings p
      where ${previous} is not null and p.run_id = ${previous} and not exists (select 1 from ins i where i.finding_key = p.finding_key)
    union all select 'duplicate', jsonb_build_object('key', key, 'value', value, 'lines', lines)::text, total from dup_first`;
}

/** The same diff, counted and not stored: the bare SQL the bench compares a whole run with. */
export async function countReconcileDiff(db: Tx, input: DiffInput): Promise<Record<string, number>> {
  const rows = (await hashJoined(db, countDiffSql(input))) as { name: string; n: number }[];
  return Object.fromEntries(rows.map((r) => [r.name, r.n]));
}

/** The statement of countReconcileDiff (EXPLAIN it to see the plan). */
export const countDiffSql = (input: DiffInput) => sql`with ${classified(input)} select category as name, count(*)::int as n from classified group by category`;

