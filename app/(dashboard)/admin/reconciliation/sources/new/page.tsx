import type { Metadata } from 'next';
import { forbidden } from 'next/navigation';
import { PageHeader } from '@/components/console/page-header';
import { SourceForm } from '@/components/reconcile/source-form';
import { Card } from '@/components/ui/card';
import { requireConsole } from '@/lib/auth/session';
import { remediationChoices } from '@/lib/console/reconcile-page';
import { dateFormats } from '@/lib/sources/csv/values';
import { createSourceAction, previewFileAction } from '../../actions';

export const metadata: Metadata = { title: 'New reconciliation source' };

/** Creating a source is an administrator's: an auditor gets the 403 page (the actions refuse them too). */
export default async function NewSourcePage() {
  const user = await requireConsole('/admin/reconciliation/sources/new');
  if (!user.canWrite) forbidden();
  return (
    <div className="space-y-6">
      <PageHeader
        crumbs={[{ label: 'Console', href: '/admin' }, { label: 'Reconciliation', href: '/admin/reconciliation' }, { label: 'New source' }]}
        title="New source"
        description={`An authoritative list of ${user.organizationName}'s people that accounts are reconciled against.`}
      />
      <Card className="p-6">
        <SourceForm choices={remediationChoices()} dateFormats={dateFormats} preview={previewFileAction} create={createSourceAction} />
      </Card>
    </div>
  );
}
