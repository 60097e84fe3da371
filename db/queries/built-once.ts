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

/** A prepared query that runs on this postgres.js client (e.g. a reserved connection, pipelined.ts). */
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
      built ??= build(db);
      bound.set(db, (query = rebind(built, db)));
    }
    return query;
  };
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
