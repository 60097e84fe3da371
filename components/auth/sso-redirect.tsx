'use client';

import { signIn } from 'next-auth/react';
import { useEffect, useRef } from 'react';
import { Button } from '@/components/ui/button';

/** Starts the OIDC sign-in through next-auth (CSRF token, state, nonce and PKCE) as soon as the page loads. */
export function SsoRedirect({ connectionId, name, returnTo }: { connectionId: string; name: string; returnTo: string }) {
  const started = useRef(false);
  const start = () => void signIn(connectionId, { callbackUrl: returnTo });
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    start();
  });
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600" role="status">
        Redirecting you to {name}…
      </p>
      <Button type="button" variant="secondary" className="w-full" onClick={start}>
        Continue with {name}
      </Button>
    </div>
  );
}
