import postgres from 'postgres';

/**
 * A postgres.js client for a `postgres://` URL, honouring libpq's `host` query parameter for a Unix
 * socket directory (`postgres://user:pass@localhost:5432/roster?host=/var/run/postgresql`): the
 * connection then goes over the socket `<dir>/.s.PGSQL.<port>`. postgres.js itself would send an
 * unknown query parameter to the server as a setting, so it is taken out here.
 *
 * Every client Roster opens comes from here, so a URL means the same thing everywhere.
 */
export function openPostgres(url: string, options: postgres.Options<Record<string, postgres.PostgresType>> = {}): postgres.Sql {
  const { url: clean, socketDirectory } = splitSocketHost(url);
  return postgres(clean, { ...options, ...(socketDirectory ? { host: socketDirectory } : {}) });
}

/** The URL without a `host=/absolute/dir` query parameter, and that directory. */
export function splitSocketHost(url: string): { url: string; socketDirectory: string | null } {
  const query = url.indexOf('?');
  if (query === -1) return { url, socketDirectory: null };
  const params = new URLSearchParams(url.slice(query + 1));
  const host = params.get('host');
  if (!host || !host.startsWith('/')) return { url, socketDirectory: null };
  params.delete('host');
  const rest = params.toString();
  return { url: url.slice(0, query) + (rest ? `?${rest}` : ''), socketDirectory: host };
}
