import { GitMergeIcon } from 'lucide-react';
import type { Metadata } from 'next';
import { getDb } from '@/db';
import { ConflictCard, SettledConflicts } from '@/components/conflicts/conflict-card';
import { PageHeader } from '@/components/console/page-header';
import { Card, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { requireConsole } from '@/lib/auth/session';
import { loadConflictsPage } from '@/lib/console/conflicts-page';
import { resolveConflictAction } from './actions';

export const metadata: Metadata = { title: 'Link conflicts' };

export default async function ConflictsPage() {
  const user = await requireConsole('/admin/conflicts');
  const { open, settled } = await loadConflictsPage(getDb(), user.organizationId);
  return (
    <div className="space-y-6">
      <PageHeader
        crumbs={[{ label: 'Console', href: '/admin' }, { label: 'Link conflicts' }]}
        title="Link conflicts"
        description={`${user.organizationName}: sign-ins and SCIM pushes that could be more than one account, held until an administrator decides which (or none).`}
      />
      <section aria-labelledby="open-conflicts" className="space-y-4">
        <h2 id="open-conflicts" className="text-lg font-semibold">
          Open <span className="text-muted-foreground tabular-nums">{open.length}</span>
        </h2>
        {open.length === 0 ? (
          <Card>
            <EmptyState icon={GitMergeIcon} title="No open link conflicts">
              When a sign-in or a SCIM push matches several accounts, Roster links none of them and holds it here.
            </EmptyState>
          </Card>
        ) : (
          open.map((c) => <ConflictCard key={c.id} conflict={c} canWrite={user.canWrite} action={resolveConflictAction} />)
        )}
      </section>
      <Card>
        <CardHeader>
          <div>
            <CardTitle>Decided</CardTitle>
            <CardDescription>Linked to an account, or kept apart; the decision holds for that identity from then on.</CardDescription>
          </div>
        </CardHeader>
        {settled.length === 0 ? <p className="text-sm text-muted-foreground">No decisions yet.</p> : <SettledConflicts conflicts={settled} />}
      </Card>
    </div>
  );
}
