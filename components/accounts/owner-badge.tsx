import { Badge } from '@/components/ui/badge';
import type { Door } from '@/lib/model/account';

const labels: Record<Door, string> = { jit: 'Sign-in', scim: 'SCIM', admin: 'Admin', hr: 'HR' };
const tones = { jit: 'slate', scim: 'blue', admin: 'amber', hr: 'green' } as const;

/** Which door owns an attribute: what it sent wins over a door of lower authority (lib/model/account.ts). */
export function OwnerBadge({ owner }: { owner: Door | undefined }) {
  if (!owner) return <span className="text-xs text-muted-foreground">—</span>;
  return (
    <Badge tone={tones[owner]} title={`Owned by ${labels[owner]}`}>
      {labels[owner]}
    </Badge>
  );
}
