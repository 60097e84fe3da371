import { Column, is, SQL, Subquery } from 'drizzle-orm';
import type postgres from 'postgres';
import type { Tx } from '@/db';

/**
 * A prepared query whose SQL is built once per process, not once per call: drizzle's builders cost
 * 0.1–0.4 ms of CPU each time they assemble a statement, which on the SCIM and sign-in hot paths
 * was a fifth of a request. Only the text (with placeholders) is reused; every execution reads the
 * database, on the handle it is given — the pool or an open transaction.
 *
 * drizzle binds a prepared query to the postgres.js client of the handle that built it. A query
 * built once is therefore re-bound to each handle's client (the transaction's reserved connection
 * inside `db.transaction`): a copy of the prepared query object with `client` replaced, cached per
 * handle. This relies on drizzle's postgres-js driver keeping the client in `session.client` and in
 * the prepared query's `client` (drizzle-orm 0.45; built-once.test.ts checks both still hold).
 */
type Bindable = { execute: (...args: never[]) => unknown };

type Internals = { session?: { client?: postgres.Sql } };
type PreparedInternals = { client?: postgres.Sql };

function rebind<Q extends Bindable>(query: Q, handle: Tx): Q {
  return bindTo(query, clientOf(handle));
}

/** The postgres.js client of a database handle (the pool's, or a transaction's reserved connection). */
export function clientOf(handle: Tx): postgres.Sql {
  const client = (handle as unknown as Internals).session?.client;
  if (!client) throw new Error('built-once: this database handle has no postgres.js client (drizzle internals changed?)');
  return client;
}

/** A prepared query that runs on this postgres.js client (e.g. a reserved connection). */
export function bindTo<Q extends Bindable>(query: Q, client: postgres.Sql): Q {
  const own = query as unknown as PreparedInternals;
  if (own.client === client) return query;
  if (!own.client) throw new Error('built-once: the prepared query keeps no client (drizzle internals changed?)');
  return Object.assign(Object.create(Object.getPrototypeOf(query) as object) as Q, query, { client });
}

export function builtOnce<Q extends Bindable>(build: (db: Tx) => Q): (db: Tx) => Q {
  let built: Q | undefined;
  const bound = new WeakMap<Tx, Q>();
  return (db) => {
    let query = bound.get(db);
    if (!query) {
      built ??= withFlatRowMapper(build(db));
      bound.set(db, (query = rebind(built, db)));
    }
    return query;
  };
}

type Decoder = { mapFromDriverValue: (value: unknown) => unknown };
type SelectedField = { path: string[]; field: unknown };
type MappedInternals = { fields?: SelectedField[]; customResultMapper?: (rows: unknown[][]) => unknown };

/** The decoder drizzle's mapResultRow (drizzle-orm/utils.js) picks for a selected field. */
function decoderOf(field: unknown): Decoder {
  const decoderIn = (sqlOf: unknown) => (sqlOf as { decoder: Decoder }).decoder;
  if (is(field, Column)) return field as unknown as Decoder;
  if (is(field, SQL)) return decoderIn(field);
  if (is(field, Subquery)) return decoderIn((field as unknown as { _: { sql: unknown } })._.sql);
  return decoderIn((field as { sql: unknown }).sql);
}

/**
 * A select built once maps its rows with a mapper compiled once: drizzle's mapResultRow works out,
 * for every field of every row, what kind of field it is (`is()`, a prototype walk) and where it
 * goes — a tenth of a sign-in's CPU and an eighth of a SCIM list page's. For a flat selection (every
 * field at the top level: `select()` of one table, or `select({ a, b })`) the mapper does exactly
 * what mapResultRow does — null stays null, anything else goes through the field's decoder — with
 * the kinds decided once. Nested selections (joined tables' objects, where drizzle also nullifies a
 * missing join) keep drizzle's mapping. Checked against drizzle's own mapping (built-once.test.ts).
 */
export function withFlatRowMapper<Q>(query: Q): Q {
  const own = query as unknown as MappedInternals;
  if (!Array.isArray(own.fields) || own.customResultMapper || own.fields.some((f) => f.path.length !== 1)) return query;
  const keys = own.fields.map((f) => f.path[0]!);
  const decoders = own.fields.map((f) => decoderOf(f.field));
  const width = keys.length;
  own.customResultMapper = (rows) =>
    rows.map((row) => {
      const mapped: Record<string, unknown> = {};
      for (let i = 0; i < width; i++) {
        const value = row[i];
        mapped[keys[i]!] = value === null ? null : decoders[i]!.mapFromDriverValue(value);
      }
      return mapped;
    });
  return query;
}

/** The same, one query per key (a small, bounded set of variants, e.g. a sort direction and page size). */
export function builtOncePer<K extends string, Q extends Bindable>(build: (db: Tx, key: K) => Q): (db: Tx, key: K) => Q {
  const cache = new Map<K, (db: Tx) => Q>();
  return (db, key) => {
    let query = cache.get(key);
    if (!query) cache.set(key, (query = builtOnce((handle) => build(handle, key))));
    return query(db);
  };
}
