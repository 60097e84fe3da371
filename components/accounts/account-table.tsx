import { Badge, statusTone } from '@/components/ui/badge';
import { formatDateTime } from '@/lib/utils';

export type AccountRow = {
  id: string;
  userName: string;
  email: string | null;
  displayName: string | null;
  department: string | null;
  title: string | null;
  status: keyof typeof statusTone;
  source: string;
  lastLoginAt: Date | null;
  createdAt: Date;
};

export function AccountTable({ rows }: { rows: AccountRow[] }) {
  if (rows.length === 0) return <p className="py-10 text-center text-sm text-muted-foreground">No accounts match.</p>;
  return (
    <table className="min-w-full divide-y divide-border text-sm" aria-label="Accounts">
      <thead>
        <tr className="text-left text-xs font-semibold uppercase tracking-wide text-muted-foreground">
          <th className="px-3 py-2">Name</th>
          <th className="px-3 py-2">Department</th>
          <th className="px-3 py-2">Status</th>
          <th className="px-3 py-2">Source</th>
          <th className="px-3 py-2">Last sign-in</th>
          <th className="px-3 py-2">Created</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-border bg-card">
        {rows.map((a) => (
          <tr key={a.id} data-user-name={a.userName}>
            <td className="px-3 py-2">
              <div className="font-medium text-foreground">{a.displayName ?? a.userName}</div>
              <div className="text-muted-foreground">{a.userName}</div>
            </td>
            <td className="px-3 py-2">{a.department ?? '—'}</td>
            <td className="px-3 py-2">
              <Badge tone={statusTone[a.status]}>{a.status}</Badge>
            </td>
            <td className="px-3 py-2 uppercase text-muted-foreground">{a.source}</td>
            <td className="px-3 py-2 text-muted-foreground">{formatDateTime(a.lastLoginAt)}</td>
            <td className="px-3 py-2 text-muted-foreground">{formatDateTime(a.createdAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
