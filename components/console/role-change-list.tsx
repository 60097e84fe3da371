import Link from 'next/link';
import { Badge } from '@/components/ui/badge';

const n = (v: number) => v.toLocaleString('en-US');

export type RoleChangeRow = { accountId: string; roleId: string; userName: string; displayName: string | null; roleKey: string; heldOtherwise: boolean };

/** The first accounts a role change (a birthright rule, a group's role) would give or take a role, with the total. */
export function RoleChangeList({ label, rows, total }: { label: string; rows: RoleChangeRow[]; total: number }) {
  if (rows.length === 0) return null;
  return (
    <div className="grid gap-1">
      <table aria-label={label} className="w-full text-left">
        <caption className="pb-1 text-left text-xs font-semibold text-muted-foreground uppercase">{label}</caption>
        <thead>
          <tr className="border-b text-xs text-muted-foreground uppercase">
            <th scope="col" className="py-1 pr-3 font-semibold">Account</th>
            <th scope="col" className="py-1 pr-3 font-semibold">Role</th>
            <th scope="col" className="py-1 font-semibold"><span className="sr-only">Note</span></th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.accountId}-${r.roleId}`} className="border-b last:border-0">
              <td className="py-1 pr-3 break-all">
                <Link href={`/admin/accounts/${r.accountId}`} className="rounded-sm hover:underline">
                  {r.userName}
                </Link>
                {r.displayName ? <span className="ml-2 text-xs text-muted-foreground">{r.displayName}</span> : null}
              </td>
              <td className="py-1 pr-3 font-mono text-xs">{r.roleKey}</td>
              <td className="py-1">{r.heldOtherwise ? <Badge>held otherwise</Badge> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {total > rows.length ? <p className="text-xs text-muted-foreground">The first {rows.length} of {n(total)}.</p> : null}
    </div>
  );
}
