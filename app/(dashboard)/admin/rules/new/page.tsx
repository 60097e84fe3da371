import type { Metadata } from 'next';
import { getDb } from '@/db';
import { PageHeader } from '@/components/console/page-header';
import { RuleEditor } from '@/components/rules/rule-editor';
import { Card } from '@/components/ui/card';
import { requireAdmin } from '@/lib/auth/session';
import { loadRuleEditor } from '@/lib/console/rule-actions';
import { applyRuleAction, previewRuleAction } from '../actions';

export const metadata: Metadata = { title: 'New rule' };

export default async function NewRulePage() {
  const user = await requireAdmin('/admin/rules/new');
  const { roles, connections } = await loadRuleEditor(getDb(), user.organizationId, null);
  return (
    <div className="space-y-6">
      <PageHeader crumbs={[{ label: 'Console', href: '/admin' }, { label: 'Rules', href: '/admin/rules' }, { label: 'New rule' }]} title="New rule" description="Preview shows which accounts would gain the role; creating the rule grants it to them at once." />
      <Card>
        <RuleEditor values={{ id: null, name: '', roleKey: '', connectionId: null, enabled: true, match: 'all', conditions: [] }} roles={roles} connections={connections} preview={previewRuleAction} apply={applyRuleAction} canWrite />
      </Card>
    </div>
  );
}
