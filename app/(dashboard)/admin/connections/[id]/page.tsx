import { FlaskConicalIcon, ListTreeIcon, PowerIcon, PowerOffIcon, Trash2Icon, TriangleAlertIcon } from 'lucide-react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getDb } from '@/db';
import { ActionDialog } from '@/components/console/action-dialog';
import { PageHeader } from '@/components/console/page-header';
import { ConnectionForm } from '@/components/connections/connection-form';
import { CopyValue } from '@/components/connections/copy-value';
import { MetadataStatus } from '@/components/connections/metadata-status';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { requireConsole } from '@/lib/auth/session';
import { CERTIFICATE_WARNING_DAYS } from '@/lib/connections/certificate-expiry';
import { loadConnectionPage } from '@/lib/console/connections-page';
import { deleteConnectionAction, refreshMetadataAction, toggleConnectionAction, updateConnectionAction } from '../actions';

export const metadata: Metadata = { title: 'Connection' };

type Props = { params: Promise<{ id: string }> };
const day = (d: Date) => d.toLocaleDateString('en-US', { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
const n = (count: number, one: string, many = `${one}s`) => `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;

export default async function ConnectionPage({ params }: Props) {
  const { id } = await params;
  const user = await requireConsole(`/admin/connections/${id}`);
  const page = await loadConnectionPage(getDb(), user.organizationId, id);
  if (!page) notFound();
  const { connection: c, idp, saml, impact } = page;
  return (
    <div className="space-y-6">
      <PageHeader
        crumbs={[{ label: 'Console', href: '/admin' }, { label: 'Connections', href: '/admin/connections' }, { label: c.name }]}
        title={c.name}
        description={
          <>
            {c.protocol === 'oidc' ? 'OpenID Connect' : 'SAML 2.0'} · <Badge tone={c.enabled ? 'green' : 'slate'}>{c.enabled ? 'enabled' : 'disabled'}</Badge> · {n(impact.accounts, 'account')}
          </>
        }
        actions={
          user.canWrite ? (
            <>
              {c.enabled ? (
                <Button asChild variant="outline">
                  {/* A real sign-in at the IdP, in a new tab; its result page shows what it would do (nothing is created or changed). */}
                  <a href={`/admin/connections/${c.id}/test`} target="_blank" rel="noopener">
                    <FlaskConicalIcon aria-hidden /> Test sign-in
                  </a>
                </Button>
              ) : null}
              {c.enabled ? (
                <ActionDialog
                  label="Disable"
                  icon={<PowerOffIcon aria-hidden className="size-4" />}
                  title={`Disable ${c.name}?`}
                  description={`Sign-ins through it are refused (“turned off”) and its ${n(impact.openSessions, 'open session')} end now (yours too, if you signed in through it). Nothing is deleted: its ${n(impact.accounts, 'account')} keep their status, roles and identities, and can sign in through any other connection. SCIM tokens tied to it keep working. You can enable it again.`}
                  submitLabel="Disable"
                  destructive
                  hidden={{ connectionId: c.id, enabled: 'false' }}
                  action={toggleConnectionAction}
                />
              ) : (
                <ActionDialog
                  label="Enable"
                  icon={<PowerIcon aria-hidden className="size-4" />}
                  title={`Enable ${c.name}?`}
                  description="Its users can sign in through it again."
                  submitLabel="Enable"
                  hidden={{ connectionId: c.id, enabled: 'true' }}
                  action={toggleConnectionAction}
                />
              )}
              <ActionDialog
                label="Delete"
                variant="destructive"
                icon={<Trash2Icon aria-hidden className="size-4" />}
                title={`Delete ${c.name}?`}
                description={
                  <span className="grid gap-2">
                    {impact.accounts > 0 ? (
                      <>
                        <span>What happens to its accounts:</span>
                        <span className="grid list-disc gap-1 pl-5" role="list">
                          {page.deleteImpact.map((line) => (
                            <span key={line} role="listitem" className="list-item">{line}.</span>
                          ))}
                        </span>
                        <span>Type its name to confirm. To turn it off and keep everything, disable it instead.</span>
                      </>
                    ) : (
                      <span>No account signs in through it: nothing else changes.</span>
                    )}
                    {impact.rules > 0 || impact.scimTokens > 0 ? <span className="font-medium">First delete its {n(impact.rules, 'rule')} and revoke its {n(impact.scimTokens, 'SCIM token')}.</span> : null}
                  </span>
                }
                submitLabel="Delete connection"
                destructive
                fields={impact.accounts > 0 ? [{ name: 'confirm', label: 'Connection name', kind: 'text', required: true, placeholder: c.name }] : []}
                hidden={{ connectionId: c.id }}
                action={deleteConnectionAction}
              />
            </>
          ) : null
        }
      />
      <Card>
        <CardHeader>
          <div>
            <CardTitle>Give these to your identity provider</CardTitle>
            <CardDescription>{c.protocol === 'oidc' ? 'Register the callback URL as the redirect URI of the application.' : 'Import the SP metadata URL, or enter the entity ID and ACS URL.'}</CardDescription>
          </div>
        </CardHeader>
        <dl className="grid gap-3">
          {idp.protocol === 'oidc' ? (
            <CopyValue label="Callback URL" value={idp.callbackUrl} />
          ) : (
            <>
              <CopyValue label="SP entity ID" value={idp.spEntityId} />
              <CopyValue label="ACS URL" value={idp.acsUrl} />
              <CopyValue label="SP metadata URL" value={idp.spMetadataUrl} />
            </>
          )}
          <CopyValue label="Sign-in URL" value={idp.signInUrl} />
        </dl>
      </Card>
      {saml || page.samlBroken ? (
        <Card>
          <CardHeader>
            <div>
              <CardTitle>Identity provider</CardTitle>
              <CardDescription>Certificates are warned about {CERTIFICATE_WARNING_DAYS} days before they expire.</CardDescription>
            </div>
          </CardHeader>
          {saml ? (
            <div className="grid gap-3 text-sm">
              <div><span className="text-muted-foreground">Entity ID</span> <span className="break-all">{saml.idpEntityId}</span></div>
              <div><span className="text-muted-foreground">SSO URL</span> <span className="break-all">{saml.ssoUrl}</span></div>
              <ul className="grid gap-2" aria-label="Signing certificates">
                {saml.certificates.map((cert) => (
                  <li key={cert.subject + cert.notAfter.toISOString()} className="flex flex-wrap items-center gap-2" data-certificate={cert.state}>
                    <span className="break-all">{cert.subject}</span>
                    <span className="text-muted-foreground">expires {day(cert.notAfter)}</span>
                    {cert.state !== 'ok' ? (
                      <Badge tone={cert.state === 'expired' ? 'red' : 'amber'}>
                        <TriangleAlertIcon aria-hidden className="mr-1 size-3.5" />
                        {cert.state === 'expired' ? 'expired: sign-ins fail' : `expires in ${cert.daysLeft} days: get the new one from the IdP`}
                      </Badge>
                    ) : null}
                  </li>
                ))}
              </ul>
              <MetadataStatus connectionId={c.id} metadataUrl={saml.metadataUrl} lastRefresh={saml.lastRefresh} schedule={saml.refreshSchedule} action={user.canWrite ? refreshMetadataAction : null} />
            </div>
          ) : (
            <p className="text-sm text-destructive">The stored SAML settings are not valid: sign-ins fail. Update them with roster connection update.</p>
          )}
        </Card>
      ) : null}
      <Card>
        <CardHeader>
          <div>
            <CardTitle>Settings</CardTitle>
            <CardDescription>{user.canWrite ? 'The mapping, required claims and default roles apply from each account’s next sign-in.' : 'Only an administrator can change them.'}</CardDescription>
          </div>
          <Button asChild variant="outline" size="sm">
            <Link href={`/admin/connections/${c.id}/mapping`}>
              <ListTreeIcon aria-hidden /> Claim mapping and preview
            </Link>
          </Button>
        </CardHeader>
        <ConnectionForm
          values={{ id: c.id, protocol: c.protocol, name: c.name, domains: c.allowedDomains, defaultRoles: c.defaultRoles, required: c.requiredAttributes, jit: c.jitEnabled, mapping: c.mapping, issuer: c.issuer, clientId: c.clientId }}
          actions={{ update: updateConnectionAction }}
          canWrite={user.canWrite}
        />
      </Card>
    </div>
  );
}
