import type { ReactNode } from 'react';
import { Breadcrumbs, type Crumb } from '@/components/ui/breadcrumbs';

/** Every console page starts with this: breadcrumbs, the page's one h1, what it is for, its actions. */
export function PageHeader({ title, description, crumbs, actions }: { title: string; description?: ReactNode; crumbs: Crumb[]; actions?: ReactNode }) {
  return (
    <header className="space-y-3">
      <Breadcrumbs items={crumbs} />
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div className="min-w-0 space-y-1">
          <h1 className="truncate text-2xl font-semibold tracking-tight">{title}</h1>
          {description ? <p className="text-sm text-muted-foreground">{description}</p> : null}
        </div>
        {actions ? <div className="flex flex-wrap items-center gap-2">{actions}</div> : null}
      </div>
    </header>
  );
}
