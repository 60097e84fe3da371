'use client';

import { CheckIcon, CopyIcon } from 'lucide-react';
import { useState } from 'react';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';

/** A value to give the IdP, with a button that copies it. */
export function CopyValue({ label, value }: { label: string; value: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
      toast.success(`${label} copied.`);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      toast.error('Copying was refused by the browser: select the value and copy it.');
    }
  };
  return (
    <div className="grid gap-1 sm:grid-cols-[12rem_1fr] sm:items-center" data-idp-value={label}>
      <dt className="text-sm text-muted-foreground">{label}</dt>
      {/* The button sits in the <dd>: a <dl>'s groups may hold only <dt> and <dd> (axe: definition-list). */}
      <dd className="flex min-w-0 items-center gap-2">
        <code className="block min-w-0 flex-1 rounded-md bg-muted px-2 py-1.5 font-mono text-xs break-all">{value}</code>
        <Button type="button" variant="outline" size="sm" onClick={copy} aria-label={`Copy ${label}`}>
          {copied ? <CheckIcon aria-hidden className="size-4" /> : <CopyIcon aria-hidden className="size-4" />}
          Copy
        </Button>
      </dd>
    </div>
  );
}
