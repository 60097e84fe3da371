import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { accounts } from '@/db/schema';
import { closeTestDb, makeAccount, makeOrganization, testDb } from '@/lib/testing/fixtures';
import { csvCell, csvHeaders, csvStream, type CsvColumn } from './csv';
import { accountsCsv, auditCsv } from './exports';

/** CSV export: RFC 4180 quoting, formula injection guarded, read lazily, and the two exports against real Postgres. */
afterAll(closeTestDb);

async function* from<R>(rows: R[], seen?: { pulled: number; finished: boolean }) {
  try {
    for (const row of rows) {
      if (seen) seen.pulled++;
      yield row;
    }
  } finally {
    if (seen) seen.finished = true;
  }
}

const text = (stream: ReadableStream<Uint8Array>) => new Response(stream).text();

/** A strict RFC 4180 reader for the checks below: quoted fields with doubled quotes, CRLF between records. */
function parse(csv: string): string[][] {
  const out: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    record.push(field);
    field = '';
  };
  for (let i = 0; i < csv.length; i++) {
    const c = csv[i]!;
    if (quoted) {
      if (c === '"' && csv[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') endField();
    else if (c === '\r' && csv[i + 1] === '\n') {
      endField();
      out.push(record);
      record = [];
      i++;
    } else if (c === '\n' || c === '\r') throw new Error(`bare line break outside quotes at ${i}`);
    else field += c;
  }
  if (field || record.length) throw new Error('last record not ended by CRLF');
  return out;
}

type Row = { name: string; n: number | null; at: Date | null; data: unknown };
const columns: CsvColumn<Row>[] = [
  { header: 'name', value: (r) => r.name },
  { header: 'n', value: (r) => r.n },
  { header: 'at', value: (r) => r.at },
  { header: 'data', value: (r) => r.data },
];

describe('csvStream', () => {
  it('writes a header and RFC 4180 records: quotes, commas and line breaks quoted, CRLF after each record', async () => {
    const rows: Row[] = [
      { name: 'Anders, Alice', n: 1, at: new Date('2026-03-01T12:00:00.123Z'), data: { a: 'b "c"' } },
      { name: 'She said "hi"', n: -2.5, at: null, data: null },
      { name: 'two\nlines\r\nhere', n: null, at: null, data: [1, 2] },
      { name: ' padded ', n: 0, at: null, data: 'ünïcødé' },
    ];
    const csv = await text(csvStream(from(rows), columns));
    expect(csv.startsWith('name,n,at,data\r\n')).toBe(true);
    expect(parse(csv)).toEqual([
      ['name', 'n', 'at', 'data'],
      ['Anders, Alice', '1', '2026-03-01T12:00:00.123Z', '{"a":"b \\"c\\""}'],
      ['She said "hi"', '-2.5', '', ''],
      ['two\nlines\r\nhere', '', '', '[1,2]'],
      [' padded ', '0', '', 'ünïcødé'],
    ]);
  });

  it('guards cells that a spreadsheet would run as a formula (OWASP): = + - @ tab and carriage return', async () => {
    const names = ['=HYPERLINK("http://evil.test","x")', '+1+2', '-2+3', '@SUM(A1)', '\t=1', '\r=1', 'a=b', 'plain'];
    const csv = await text(csvStream(from(names.map((name) => ({ name, n: -1, at: null, data: null }))), columns));
    const cells = parse(csv).slice(1);
    expect(cells.map((r) => r[0])).toEqual(["'=HYPERLINK(\"http://evil.test\",\"x\")", "'+1+2", "'-2+3", "'@SUM(A1)", "'\t=1", "'\r=1", 'a=b', 'plain']);
    expect(cells.every((r) => r[1] === '-1')).toBe(true); // a number is a number, not a formula
    expect(csvCell({ f: '=1' })).toBe('{"f":"=1"}');
  });

  it('reads the rows only as the reader asks, and stops them when the reader cancels', async () => {
    const seen = { pulled: 0, finished: false };
    const rows = Array.from({ length: 100_000 }, (_, i) => ({ name: `row ${i}`, n: i, at: null, data: null }));
    const reader = csvStream(from(rows, seen), columns).getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value).startsWith('name,n,at,data\r\nrow 0,0,,\r\n')).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(seen.pulled).toBeLessThanOrEqual(1500);
    await reader.cancel();
    expect(seen.finished).toBe(true);
    expect(seen.pulled).toBeLessThan(rows.length);
  });

  it('writes a BOM when asked (Excel reads UTF-8 then), and headers for a download', async () => {
    const bytes = new Uint8Array(await new Response(csvStream(from<Row>([]), columns, { bom: true })).arrayBuffer());
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)).toBe('\uFEFFname,n,at,data\r\n');
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csvHeaders('accounts 2026/03.csv')).toEqual({ 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="accounts_2026_03.csv"', 'cache-control': 'no-store' });
  });
});

describe('console exports', () => {
  it('stream every matching account and audit event of the organization, guarded', async () => {
    const db = testDb();
    const { org } = await makeOrganization(db);
    const other = await makeOrganization(db);
    for (let i = 0; i < 2050; i += 50) {
      await db.insert(accounts).values(Array.from({ length: 50 }, (_, k) => ({ organizationId: org.id, source: 'scim' as const, userName: `bulk-${String(i + k).padStart(4, '0')}` })));
    }
    const evil = await makeAccount(db, org.id, { userName: 'mallory@example.com', profile: { displayName: '=cmd|"/c calc"!A1' } });
    await makeAccount(db, other.org.id, { userName: 'elsewhere@example.com' });
    const rows = parse(await text(accountsCsv(db, org.id, { sort: { by: 'userName', dir: 'asc' } })));
    expect(rows[0]).toEqual(['id', 'user_name', 'email', 'display_name', 'department', 'title', 'status', 'source', 'last_sign_in', 'created']);
    expect(rows).toHaveLength(1 + 2051);
    expect(rows.slice(1, 4).map((r) => r[1])).toEqual(['bulk-0000', 'bulk-0001', 'bulk-0002']);
    expect(rows.find((r) => r[0] === evil.id)?.[3]).toBe('\'=cmd|"/c calc"!A1');
    expect(rows.some((r) => r[1] === 'elsewhere@example.com')).toBe(false);
    const [stored] = await db.select({ createdAt: accounts.createdAt }).from(accounts).where(eq(accounts.id, evil.id));
    expect(rows.find((r) => r[0] === evil.id)?.[9]).toBe(stored!.createdAt.toISOString());

    const events = parse(await text(auditCsv(db, org.id, { actions: ['account.created'] })));
    expect(events[0]).toEqual(['id', 'time', 'actor_type', 'actor_id', 'actor', 'action', 'target_type', 'target_id', 'target', 'data', 'before', 'after', 'ip', 'request_id']);
    expect(events.slice(1).map((r) => [r[5], r[7], r[8]])).toEqual([['account.created', evil.id, '\'=cmd|"/c calc"!A1']]);
  });
});
