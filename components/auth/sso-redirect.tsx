'use client';

import { useEffect, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';

/**
 * Starts next-auth's OIDC sign-in for one connection (CSRF token, then POST /api/auth/signin/<id>,
 * which sets state, nonce and PKCE and answers with the IdP's authorization URL). next-auth/react's
 * signIn() is not used: it first checks a global provider list, and Roster builds providers per
 * connection from the database.
 */
async function startSignIn(connectionId: string, callbackUrl: string, loginHint?: string): Promise<string> {
  const { csrfToken } = (await (await fetch('/api/auth/csrf')).json()) as { csrfToken: string };
  // Query parameters of the sign-in request become authorization parameters (login_hint, OIDC Core §3.1.2.1).
  const query = loginHint ? `?${new URLSearchParams({ login_hint: loginHint })}` : '';
  const res = await fetch(`/api/auth/signin/${encodeURIComponent(connectionId)}${query}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrfToken, callbackUrl, json: 'true' }),
  });
  const { url } = (await res.json()) as { url?: string };
  if (!url) throw new Error('No authorization URL');
  return url;
}

export function SsoRedirect({ connectionId, name, returnTo, loginHint }: { connectionId: string; name: string; returnTo: string; loginHint?: string }) {
  const started = useRef(false);
  const [failed, setFailed] = useState(false);
  const start = () => {
    setFailed(false);
    startSignIn(connectionId, returnTo, loginHint).then((url) => window.location.assign(url), () => setFailed(true));
  };
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    start();
  });
  return (
    <div className="space-y-4">
      <p className="text-sm text-muted-foreground" role="status">
        {failed ? `We couldn’t reach ${name}. Try again in a moment.` : `Redirecting you to ${name}…`}
      </p>
      <Button type="button" variant="secondary" className="w-full" onClick={start}>
        Continue with {name}
      </Button>
    </div>
  );
}
