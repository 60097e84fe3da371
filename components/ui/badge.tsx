import { cva, type VariantProps } from 'class-variance-authority';
import type { ComponentProps } from 'react';
import { cn } from '@/lib/utils';

const badgeVariants = cva('inline-flex items-center gap-1 rounded-md px-2 py-0.5 text-xs font-medium ring-1 ring-inset whitespace-nowrap', {
  variants: {
    tone: {
      green: 'bg-success/10 text-success ring-success/30',
      amber: 'bg-warning/10 text-warning ring-warning/30',
      red: 'bg-destructive/10 text-destructive ring-destructive/30',
      slate: 'bg-muted text-muted-foreground ring-border',
      blue: 'bg-primary/10 text-primary ring-primary/30',
    },
  },
  defaultVariants: { tone: 'slate' },
});

export function Badge({ className, tone, ...props }: ComponentProps<'span'> & VariantProps<typeof badgeVariants>) {
  return <span className={cn(badgeVariants({ tone }), className)} {...props} />;
}

export const statusTone = { active: 'green', suspended: 'amber', deprovisioned: 'red', pending_approval: 'slate' } as const;
