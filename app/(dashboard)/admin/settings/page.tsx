import { ShieldAlertIcon } from 'lucide-react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { getDb } from '@/db';
import { PageHeader } from '@/components/console/page-header';
import { IdpInitiatedSwitch } from '@/components/settings/idp-initiated-switch';
import { SettingsForm } from '@/components/settings/settings-form';
import { Card, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { requireConsole } from '@/lib/auth/session';
import { loadSettingsPage } from '@/lib/console/settings-page';
import { getEnv } from '@/lib/env';
import { saveSettingsAction, setIdpInitiatedAction } from './actions';

export const metadata: Metadata = { title: 'Settings' };

export default async function SettingsPage() {
  const user = await requireConsole('/admin/settings');
  const { settings, samlConnections } = await loadSettingsPage(getDb(), user.organizationId);
  const deploymentMinutes = Math.floor(getEnv().ROSTER_SESSION_MAX_AGE / 60);
  return (
    <div className="space-y-6">
      <PageHeader crumbs={[{ label: 'Console', href: '/admin' }, { label: 'Settings' }]} title="Settings" description={`${user.organizationName}: how long deprovisioned accounts and sessions last, and how SAML sign-ins may start.`} />
      <Card>
        <CardHeader>
          <div>
            <CardTitle>Organization</CardTitle>
            <CardDescription>{user.canWrite ? 'Leave a field blank for its default. Every change is in the audit log.' : 'Only an administrator can change these.'}</CardDescription>
          </div>
        </CardHeader>
        <SettingsForm
          values={{ purgeDeprovisionedAfterDays: settings.purgeDeprovisionedAfterDays ?? null, sessionMaxAgeMinutes: settings.sessionMaxAgeSeconds === undefined ? null : Math.round(settings.sessionMaxAgeSeconds / 60), seatPricePerMonth: settings.seatPricePerMonth ?? null }}
          deploymentMinutes={deploymentMinutes}
          save={saveSettingsAction}
          canWrite={user.canWrite}
        />
      </Card>
      <Card>
        <CardHeader>
          <div>
            <CardTitle>IdP-initiated SAML</CardTitle>
            <CardDescription>Whether a SAML connection accepts a sign-in started at the identity provider’s portal rather than at Roster.</CardDescription>
          </div>
        </CardHeader>
        <div className="mb-4 grid gap-2 rounded-md border border-amber-500/40 bg-amber-500/10 p-4 text-sm" data-testid="idp-initiated-risk">
          <p className="font-medium">The risk</p>
          <p>
            An unsolicited response cannot be tied to a request Roster made: nothing binds it to the browser that posts it. Someone can sign a victim’s browser into the attacker’s account (login CSRF), and
            a stolen assertion can be replayed by anyone within its validity window.
          </p>
          <p className="text-muted-foreground">
            Roster still checks the signature, the audience, the validity window and its replay cache (an assertion is accepted once). Leave it off unless people must start from the IdP portal.
          </p>
        </div>
        {samlConnections.length === 0 ? (
          <EmptyState icon={ShieldAlertIcon} title="No SAML connections">
            IdP-initiated sign-in applies to SAML connections only.
          </EmptyState>
        ) : (
          <ul className="divide-y rounded-md border" aria-label="SAML connections">
            {samlConnections.map((c) => (
              <li key={c.id} className="flex flex-wrap items-center justify-between gap-3 p-3" data-connection={c.name}>
                <div className="min-w-0">
                  <Link href={`/admin/connections/${c.id}`} className="rounded-sm font-medium break-all hover:underline">
                    {c.name}
                  </Link>
                  {c.enabled ? null : <span className="ml-2 text-xs text-muted-foreground">disabled</span>}
                </div>
                <IdpInitiatedSwitch connectionId={c.id} name={c.name} allowed={c.allowIdpInitiated} action={setIdpInitiatedAction} canWrite={user.canWrite} />
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
