'use client';

import { TriangleAlertIcon } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';

/** A console page that failed: say so, offer a retry, never a blank page. */
export function ConsoleError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <Card className="flex flex-col items-start gap-3" role="alert">
      <div className="flex items-center gap-2">
        <TriangleAlertIcon aria-hidden className="size-5 text-destructive" />
        <h1 className="text-lg font-semibold">This page could not be loaded</h1>
      </div>
      <p className="text-sm text-muted-foreground">
        Something went wrong on our side{error.digest ? ` (reference ${error.digest})` : ''}. If the database is briefly unavailable, trying again in a few seconds usually works.
      </p>
      <Button onClick={reset}>Try again</Button>
    </Card>
  );
}
