import { Trash2Icon } from 'lucide-react';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getDb } from '@/db';
import { PageHeader } from '@/components/console/page-header';
import { RuleChangeButton } from '@/components/rules/rule-change-button';
import { RuleEditor } from '@/components/rules/rule-editor';
import { Card } from '@/components/ui/card';
import { requireConsole } from '@/lib/auth/session';
import { loadRuleEditor } from '@/lib/console/rule-actions';
import { isAppError } from '@/lib/errors';
import { isUuid } from '@/lib/ids';
import { applyRuleAction, previewRuleAction } from '../actions';

export const metadata: Metadata = { title: 'Rule' };

type Params = { params: Promise<{ id: string }> };

async function load(organizationId: string, id: string) {
  try {
    return await loadRuleEditor(getDb(), organizationId, id);
  } catch (error) {
    if (isAppError(error) && error.code === 'not_found') notFound();
    throw error;
  }
}

export default async function RulePage({ params }: Params) {
  const { id } = await params;
  const user = await requireConsole(`/admin/rules/${id}`);
  if (!isUuid(id)) notFound();
  const { roles, connections, rule } = await load(user.organizationId, id);
  if (!rule) notFound();
  return (
    <div className="space-y-6">
      <PageHeader
        crumbs={[{ label: 'Console', href: '/admin' }, { label: 'Rules', href: '/admin/rules' }, { label: rule.name }]}
        title={rule.name}
        description={user.canWrite ? 'Change the rule, preview who gains and loses what, then save: the change applies to every affected account at once.' : 'Only an administrator can change it.'}
        actions={
          user.canWrite ? (
            <RuleChangeButton ruleId={rule.id} kind="delete" label="Delete" verb="Delete" destructive icon={<Trash2Icon aria-hidden />} preview={previewRuleAction} apply={applyRuleAction} after="/admin/rules" />
          ) : null
        }
      />
      <Card>
        <RuleEditor values={{ id: rule.id, name: rule.name, roleKey: rule.roleKey, connectionId: rule.connectionId, enabled: rule.enabled, match: rule.conditions.match, conditions: rule.conditions.conditions }} roles={roles} connections={connections} preview={previewRuleAction} apply={applyRuleAction} canWrite={user.canWrite} />
      </Card>
    </div>
  );
}
