import Link from 'next/link';
import type { PlannedAction } from '@/lib/jobs/types';

/**
 * A run's plan in a dialog or preview (small type, no card): each account with its action and the
 * clause that decided it. PlannedTable is the full-size one of a run's page.
 */
export function CompactPlanTable({ planned, label, linked = false }: { planned: PlannedAction[]; label: string; linked?: boolean }) {
  return (
    <table aria-label={label} className="w-full text-left">
      <thead>
        <tr className="border-b text-xs text-muted-foreground uppercase">
          <th scope="col" className="py-1 pr-3 font-semibold">Account</th>
          <th scope="col" className="py-1 pr-3 font-semibold">Action</th>
          <th scope="col" className="py-1 font-semibold">Why</th>
        </tr>
      </thead>
      <tbody>
        {planned.map((p) => (
          <tr key={`${p.accountId}-${p.action}-${String(p.role ?? '')}`} className="border-b last:border-0">
            <td className="py-1 pr-3 break-all">
              {linked ? (
                <Link href={`/admin/accounts/${p.accountId}`} className="rounded-sm hover:underline">
                  {p.userName}
                </Link>
              ) : (
                p.userName
              )}
            </td>
            <td className="py-1 pr-3 font-mono text-xs">{p.action}</td>
            <td className="py-1 text-muted-foreground">{p.clause}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
