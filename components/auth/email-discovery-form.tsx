'use client';

import { useActionState } from 'react';
import { Button } from '@/components/ui/button';

/** What the discovery action answers: an error, or the connections to choose from (one redirects at once). */
export type DiscoveryState = { error?: string; choices?: { id: string; label: string }[]; email?: string };

/** The page passes its server action in (components never import app/). */
export function EmailDiscoveryForm({ returnTo, discover }: { returnTo: string; discover: (prev: DiscoveryState, form: FormData) => Promise<DiscoveryState> }) {
  const [state, action, pending] = useActionState<DiscoveryState, FormData>(discover, {});
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="returnTo" value={returnTo} />
      <div>
        <label htmlFor="email" className="block text-sm font-medium text-muted-foreground">
          Work email
        </label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="email"
          required
          defaultValue={state.email}
          placeholder="name@company.com"
          aria-invalid={Boolean(state.error)}
          aria-describedby={state.error ? 'email-error' : undefined}
          className="mt-1 block w-full rounded-md border-0 px-3 py-2 text-foreground ring-1 ring-inset ring-input bg-card placeholder:text-muted-foreground focus:ring-2 focus:ring-ring"
        />
        {state.error ? (
          <p id="email-error" role="alert" className="mt-2 text-sm text-rose-700">
            {state.error}
          </p>
        ) : null}
      </div>
      <Button type="submit" disabled={pending} className="w-full">
        {pending ? 'Finding your organization…' : 'Continue with SSO'}
      </Button>
      {state.choices ? (
        <div className="space-y-2">
          {/* Plain links: a SAML connection's page redirects to an API route, which client navigation cannot render. */}
          <p className="text-sm text-muted-foreground">More than one identity provider signs in this domain. Choose yours:</p>
          {state.choices.map((c) => (
            <a key={c.id} href={`/sso/${c.id}?${new URLSearchParams({ returnTo, login_hint: state.email?.trim() ?? '' })}`} className="block rounded-md px-3 py-2 text-sm ring-1 ring-border hover:bg-muted">
              {c.label}
            </a>
          ))}
        </div>
      ) : null}
    </form>
  );
}
