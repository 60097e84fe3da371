import { Badge } from '@/components/ui/badge';
import { RelativeTime } from '@/components/ui/relative-time';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import type { ScimRequestView } from '@/lib/console/scim-page';
import { decodeUriOr } from '@/lib/http/decode-uri';

/** The logged path with its query decoded, for reading (stored encoded, as sent). */
const readable = (path: string) => decodeUriOr(path, path);
const tone = (status: number) => (status >= 500 ? 'red' : status >= 400 ? 'amber' : 'green');

/** The SCIM request log, as the loader ordered it (refusals first, then the rest, each newest first). */
export function RequestLogTable({ rows }: { rows: ScimRequestView[] }) {
  return (
    <Table aria-label="Recent SCIM requests">
      <TableHeader>
        <TableRow>
          <TableHead scope="col">Status</TableHead>
          <TableHead scope="col">Request</TableHead>
          <TableHead scope="col">SCIM error</TableHead>
          <TableHead scope="col">Token</TableHead>
          <TableHead scope="col">Time</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((r) => (
          <TableRow key={r.id} data-scim-request={r.status} data-refused={r.refused || undefined}>
            <TableCell>
              <Badge tone={tone(r.status)}>{r.status}</Badge>
            </TableCell>
            <TableCell className="max-w-md">
              <div className="font-mono text-xs break-all">
                <span className="font-semibold">{r.method}</span> {readable(r.path)}
              </div>
              {r.userName || r.resourceId ? <div className="mt-1 text-xs text-muted-foreground break-all">{r.userName ?? r.resourceId}</div> : null}
            </TableCell>
            <TableCell className="max-w-sm text-sm">
              {r.refused ? (
                <>
                  {r.scimType ? <code className="rounded bg-muted px-1 py-0.5 font-mono text-xs">{r.scimType}</code> : null}
                  {r.detail ? <p className="mt-1 text-xs break-words text-muted-foreground">{r.detail}</p> : null}
                </>
              ) : (
                <span className="text-muted-foreground">—</span>
              )}
            </TableCell>
            <TableCell className="text-sm whitespace-nowrap">{r.tokenName ?? <span className="text-muted-foreground">unknown</span>}</TableCell>
            <TableCell className="text-sm">
              <RelativeTime value={r.at} />
              <div className="text-xs text-muted-foreground tabular-nums">{r.durationMs} ms</div>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
