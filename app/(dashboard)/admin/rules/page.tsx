import { PencilIcon, PlusIcon, PowerIcon, PowerOffIcon, WorkflowIcon } from 'lucide-react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { getDb } from '@/db';
import { PageHeader } from '@/components/console/page-header';
import { RuleChangeButton } from '@/components/rules/rule-change-button';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { requireConsole } from '@/lib/auth/session';
import { loadRulesPage } from '@/lib/console/rule-actions';
import { applyRuleAction, previewRuleAction } from './actions';

export const metadata: Metadata = { title: 'Rules' };

export default async function RulesPage() {
  const user = await requireConsole('/admin/rules');
  const { rules } = await loadRulesPage(getDb(), user.organizationId);
  return (
    <div className="space-y-6">
      <PageHeader
        crumbs={[{ label: 'Console', href: '/admin' }, { label: 'Rules' }]}
        title="Birthright rules"
        description={`${user.organizationName}: who gets which role from their attributes. A change is previewed, then applied to every affected account at once.`}
        actions={
          user.canWrite ? (
            <Button size="sm" asChild>
              <Link href="/admin/rules/new">
                <PlusIcon aria-hidden />
                New rule
              </Link>
            </Button>
          ) : null
        }
      />
      <Card>
        {rules.length === 0 ? (
          <EmptyState icon={WorkflowIcon} title="No rules yet">
            {user.canWrite ? 'A rule grants a role to every account whose attributes match, e.g. department equals Engineering.' : 'An administrator writes the rules on this page.'}
          </EmptyState>
        ) : (
          <Table aria-label="Rules">
            <TableHeader>
              <TableRow>
                <TableHead scope="col">Rule</TableHead>
                <TableHead scope="col">When</TableHead>
                <TableHead scope="col">Role</TableHead>
                <TableHead scope="col">Connection</TableHead>
                <TableHead scope="col">State</TableHead>
                {user.canWrite ? (
                  <TableHead scope="col">
                    <span className="sr-only">Actions</span>
                  </TableHead>
                ) : null}
              </TableRow>
            </TableHeader>
            <TableBody>
              {rules.map((r) => (
                <TableRow key={r.id} data-rule={r.name}>
                  <TableCell className="font-medium">
                    <Link href={`/admin/rules/${r.id}`} className="rounded-sm hover:underline">
                      {r.name}
                    </Link>
                  </TableCell>
                  <TableCell className="max-w-md text-sm break-words">{r.conditionsText}</TableCell>
                  <TableCell>
                    <Link href={`/admin/roles/${encodeURIComponent(r.roleKey)}`} className="rounded-sm font-mono text-xs hover:underline">
                      {r.roleKey}
                    </Link>
                  </TableCell>
                  <TableCell className="text-sm">{r.connectionName ?? <span className="text-muted-foreground">Every connection</span>}</TableCell>
                  <TableCell>{r.enabled ? <Badge tone="green">enabled</Badge> : <Badge>disabled</Badge>}</TableCell>
                  {user.canWrite ? (
                    <TableCell>
                      <div className="flex flex-wrap justify-end gap-2">
                        <Button variant="outline" size="sm" asChild>
                          <Link href={`/admin/rules/${r.id}`} aria-label={`Edit ${r.name}`}>
                            <PencilIcon aria-hidden />
                            Edit
                          </Link>
                        </Button>
                        <RuleChangeButton
                          ruleId={r.id}
                          kind={r.enabled ? 'disable' : 'enable'}
                          label={r.enabled ? 'Disable' : 'Enable'}
                          verb={r.enabled ? 'Disable' : 'Enable'}
                          icon={r.enabled ? <PowerOffIcon aria-hidden /> : <PowerIcon aria-hidden />}
                          preview={previewRuleAction}
                          apply={applyRuleAction}
                        />
                      </div>
                    </TableCell>
                  ) : null}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Card>
    </div>
  );
}
