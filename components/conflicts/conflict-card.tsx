import { LinkIcon, UnlinkIcon } from 'lucide-react';
import Link from 'next/link';
import { ActionDialog } from '@/components/console/action-dialog';
import { Badge, statusTone } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { RelativeTime } from '@/components/ui/relative-time';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import type { ActionState } from '@/lib/auth/define-action';
import type { ConflictView } from '@/lib/console/conflicts-page';

type Action = (state: ActionState<{ message: string }> | undefined, form: FormData) => Promise<ActionState<{ message: string }>>;

const doorWords = (c: ConflictView) => (c.source === 'login' ? `A sign-in${c.connectionName ? ` through ${c.connectionName}` : ''}` : 'A SCIM push');
const identityOf = (c: ConflictView) => c.incoming.userName ?? c.incoming.email ?? c.incoming.subject ?? c.incoming.externalId ?? 'an identity';

function Incoming({ conflict }: { conflict: ConflictView }) {
  const rows = [
    ['User name', conflict.incoming.userName],
    ['Email', conflict.incoming.email],
    [conflict.source === 'login' ? 'Subject' : 'externalId', conflict.source === 'login' ? conflict.incoming.subject : conflict.incoming.externalId],
  ] as const;
  return (
    <dl className="grid gap-x-6 gap-y-1 text-sm sm:grid-cols-[auto_1fr]">
      {rows
        .filter(([, v]) => v)
        .map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="text-muted-foreground">{label}</dt>
            <dd className="font-mono text-xs break-all sm:text-sm">{value}</dd>
          </div>
        ))}
    </dl>
  );
}

/** One open conflict: the identity, its candidates and why each matched, and the two decisions. */
export function ConflictCard({ conflict, canWrite, action }: { conflict: ConflictView; canWrite: boolean; action: Action }) {
  const who = identityOf(conflict);
  const then = conflict.source === 'login' ? 'Its next sign-in is that account’s.' : 'It is linked to that account when the directory sends it again.';
  return (
    <Card data-conflict={who} aria-label={`Conflict: ${who}`}>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0 space-y-2">
          <h3 className="font-semibold break-all">
            {doorWords(conflict)} as {who} could be {conflict.candidates.length} accounts
          </h3>
          <p className="text-xs text-muted-foreground">
            Seen {conflict.occurrences} time{conflict.occurrences === 1 ? '' : 's'}, last <RelativeTime value={conflict.lastSeenAt} />; {conflict.source === 'login' ? 'the sign-in was refused' : 'the push was answered 409'} and nothing linked.
          </p>
          <Incoming conflict={conflict} />
        </div>
        {canWrite ? (
          <ActionDialog
            label="Keep apart"
            icon={<UnlinkIcon aria-hidden />}
            title="Keep it apart?"
            description={`${doorWords(conflict)} as ${who} is linked to none of these accounts, from now on: it gets an account of its own (or the usual refusal if its user name is taken).`}
            submitLabel="Keep apart"
            hidden={{ conflictId: conflict.id, decision: 'keep_apart' }}
            action={action}
          />
        ) : null}
      </div>
      <Table aria-label={`Candidates for ${who}`} className="mt-4">
        <TableHeader>
          <TableRow>
            <TableHead scope="col">Candidate account</TableHead>
            <TableHead scope="col">Why</TableHead>
            <TableHead scope="col">Status</TableHead>
            {canWrite ? (
              <TableHead scope="col">
                <span className="sr-only">Decision</span>
              </TableHead>
            ) : null}
          </TableRow>
        </TableHeader>
        <TableBody>
          {conflict.candidates.map((a) => (
            <TableRow key={a.accountId} data-candidate={a.userName}>
              <TableCell>
                <Link href={`/admin/accounts/${a.accountId}`} className="rounded-sm font-medium break-all hover:underline">
                  {a.userName}
                </Link>
                <div className="text-xs text-muted-foreground break-all">{[a.displayName, a.email].filter(Boolean).join(' · ')}</div>
              </TableCell>
              <TableCell className="text-sm">{a.why.join(', ')}</TableCell>
              <TableCell>
                <span className="flex flex-wrap gap-1">
                  <Badge tone={statusTone[a.status as keyof typeof statusTone] ?? 'slate'}>{a.status.replace('_', ' ')}</Badge>
                  {a.scimManaged ? <Badge tone="blue">SCIM-managed</Badge> : null}
                </span>
              </TableCell>
              {canWrite ? (
                <TableCell className="text-right">
                  <ActionDialog
                    label="Link to this account"
                    icon={<LinkIcon aria-hidden />}
                    title={`Link to ${a.userName}?`}
                    description={`${doorWords(conflict)} as ${who} belongs to ${a.userName}. ${then}`}
                    submitLabel="Link"
                    hidden={{ conflictId: conflict.id, decision: 'link', accountId: a.accountId }}
                    action={action}
                  />
                </TableCell>
              ) : null}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Card>
  );
}

/** The decided conflicts: which way, by whom, when. */
export function SettledConflicts({ conflicts }: { conflicts: ConflictView[] }) {
  return (
    <Table aria-label="Decided conflicts">
      <TableHeader>
        <TableRow>
          <TableHead scope="col">Identity</TableHead>
          <TableHead scope="col">Decision</TableHead>
          <TableHead scope="col">By</TableHead>
          <TableHead scope="col">When</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {conflicts.map((c) => (
          <TableRow key={c.id} data-conflict={identityOf(c)}>
            <TableCell className="text-sm [overflow-wrap:anywhere]">
              {doorWords(c)} as <span className="font-medium">{identityOf(c)}</span>
            </TableCell>
            <TableCell className="text-sm">
              {c.status === 'resolved' && c.candidates[0] ? (
                <>
                  Linked to{' '}
                  <Link href={`/admin/accounts/${c.candidates[0].accountId}`} className="rounded-sm font-medium hover:underline">
                    {c.candidates[0].userName}
                  </Link>
                </>
              ) : (
                'Kept apart'
              )}
            </TableCell>
            <TableCell className="text-sm [overflow-wrap:anywhere]">{c.resolvedBy ?? '—'}</TableCell>
            <TableCell className="text-sm">{c.resolvedAt ? <RelativeTime value={c.resolvedAt} /> : '—'}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
