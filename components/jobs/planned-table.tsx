import Link from 'next/link';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import type { PlannedAction } from '@/lib/jobs/types';

/** The accounts a run would change (a dry or halted run's plan): who, what, and the clause that decided it. */
export function PlannedTable({ planned, total, label = 'Planned changes' }: { planned: PlannedAction[]; total: number; label?: string }) {
  return (
    <div className="space-y-2">
      <Table aria-label={label}>
        <TableHeader>
          <TableRow>
            <TableHead scope="col">Account</TableHead>
            <TableHead scope="col">Action</TableHead>
            <TableHead scope="col">Why</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {planned.map((p) => (
            <TableRow key={`${p.accountId}-${p.action}-${String(p.role ?? '')}`}>
              <TableCell className="break-all">
                <Link href={`/admin/accounts/${p.accountId}`} className="rounded-sm hover:underline">
                  {p.userName}
                </Link>
              </TableCell>
              <TableCell className="font-mono text-xs">{p.action}</TableCell>
              <TableCell className="text-muted-foreground">{p.clause}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {total > planned.length ? <p className="text-sm text-muted-foreground">The first {planned.length.toLocaleString('en-US')} of {total.toLocaleString('en-US')} accounts.</p> : null}
    </div>
  );
}
