import Link from 'next/link';
import { Badge, statusTone } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import type { GroupMember } from '@/db/queries/group-members';

/** A group's members, linked to their accounts, with a page at a time. */
export function MemberTable({ rows, total, offset, pageSize, href }: { rows: GroupMember[]; total: number; offset: number; pageSize: number; href: (offset: number) => string }) {
  return (
    <>
      <Table aria-label="Members">
        <TableHeader>
          <TableRow>
            <TableHead scope="col">Account</TableHead>
            <TableHead scope="col">Status</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((m) => (
            <TableRow key={m.accountId} data-member={m.userName}>
              <TableCell>
                <Link href={`/admin/accounts/${m.accountId}`} className="rounded-sm font-medium break-all hover:underline">
                  {m.userName}
                </Link>
                {m.displayName ? <div className="text-xs text-muted-foreground">{m.displayName}</div> : null}
              </TableCell>
              <TableCell>
                <Badge tone={statusTone[m.status as keyof typeof statusTone] ?? 'slate'}>{m.status.replace('_', ' ')}</Badge>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {total > pageSize ? (
        <nav aria-label="Pages" className="mt-4 flex items-center justify-end gap-2 text-sm">
          <span className="text-muted-foreground">
            {offset + 1}–{offset + rows.length} of {total.toLocaleString('en-US')}
          </span>
          {offset > 0 ? (
            <Button variant="outline" size="sm" asChild>
              <Link href={href(Math.max(0, offset - pageSize))}>Previous page</Link>
            </Button>
          ) : null}
          {offset + rows.length < total ? (
            <Button variant="outline" size="sm" asChild>
              <Link href={href(offset + pageSize)}>Next page</Link>
            </Button>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}
