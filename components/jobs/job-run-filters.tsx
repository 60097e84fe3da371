'use client';

import { FilterXIcon } from 'lucide-react';
import { parseAsString, useQueryStates } from 'nuqs';
import { useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { Label, NativeSelect } from '@/components/ui/input';

const parsers = { job: parseAsString.withDefault(''), status: parseAsString.withDefault(''), older: parseAsString };
const STATUSES = [
  ['succeeded', 'Succeeded'],
  ['failed', 'Failed'],
  ['halted', 'Halted'],
  ['running', 'Running'],
] as const;

/** The run history's filters, in the URL (job, status), as on the audit log. */
export function JobRunFilters({ jobs }: { jobs: string[] }) {
  const [pending, startTransition] = useTransition();
  const [values, setValues] = useQueryStates(parsers, { shallow: false, startTransition, clearOnDefault: true, scroll: false });
  const set = (patch: Partial<Record<'job' | 'status', string>>) => void setValues({ ...patch, older: null });
  return (
    <form role="search" aria-label="Filter the run history" aria-busy={pending} className="flex flex-wrap items-end gap-4" onSubmit={(e) => e.preventDefault()}>
      <div className="grid gap-1.5">
        <Label htmlFor="runs-job">Job</Label>
        <NativeSelect id="runs-job" value={values.job} onChange={(e) => set({ job: e.target.value })}>
          <option value="">Every job</option>
          {jobs.map((j) => (
            <option key={j} value={j}>
              {j}
            </option>
          ))}
        </NativeSelect>
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="runs-status">Status</Label>
        <NativeSelect id="runs-status" value={values.status} onChange={(e) => set({ status: e.target.value })}>
          <option value="">Any status</option>
          {STATUSES.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </NativeSelect>
      </div>
      <Button type="button" variant="ghost" disabled={!values.job && !values.status} onClick={() => set({ job: '', status: '' })}>
        <FilterXIcon aria-hidden />
        Clear filters
      </Button>
    </form>
  );
}
