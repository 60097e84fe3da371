'use client';

import { EyeIcon, SaveIcon } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useId, useMemo, useState, useTransition } from 'react';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { FieldError, Input, Label, NativeSelect } from '@/components/ui/input';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import type { ActionState } from '@/lib/auth/define-action';
import type { CsvPreview } from '@/lib/sources/csv/preview';
import { validateMapping } from '@/lib/sources/csv/mapping';
import { mappableFields } from '@/lib/sources/types';
import { categoryHints, categoryLabels, remediationLabels } from '@/lib/console/reconcile-words';

type Action<T> = (state: ActionState<T> | undefined, form: FormData) => Promise<ActionState<T>>;
type Preview = CsvPreview & { fileName: string };
type Props = {
  choices: { category: string; allowed: string[] }[];
  dateFormats: readonly string[];
  preview: Action<Preview>;
  create: Action<{ message: string; sourceId: string }>;
};

const IGNORE = 'ignore';
const fieldLabels: Record<string, string> = {
  employeeNumber: 'Employee number (key)',
  externalId: 'External id (key)',
  email: 'Email (key)',
  status: 'Status',
  startDate: 'Start date',
  endDate: 'End date',
  userName: 'User name',
  displayName: 'Display name',
  givenName: 'Given name',
  familyName: 'Family name',
  department: 'Department',
  title: 'Title',
  manager: 'Manager',
};
const extraOf = (header: string) => `extra.${(header.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^[^A-Za-z]+/, '') || 'column').slice(0, 63)}`;

/**
 * A new source: its kind and name; for a CSV, a sample file previewed (its first rows, a field per
 * column prefilled from the suggestion, the status values seen mapped to active/inactive, the
 * mapping's problems live); then what each category of finding gets, and the file checks. Saved
 * through lib/reconcile's create (its refusals shown here).
 */
export function SourceForm({ choices, dateFormats, preview, create }: Props) {
  const id = useId();
  const router = useRouter();
  const [kind, setKind] = useState<'csv' | 'scim'>('csv');
  const [sample, setSample] = useState<Preview | null>(null);
  const [columns, setColumns] = useState<Record<string, string>>({});
  const [statuses, setStatuses] = useState<Record<string, string>>({});
  const [dateFormat, setDateFormat] = useState('');
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'preview' | 'save' | null>(null);
  const [pending, startTransition] = useTransition();

  const mapping = useMemo(() => {
    const cols = Object.fromEntries(Object.entries(columns).filter(([, f]) => f !== IGNORE));
    const stats = Object.fromEntries(Object.entries(statuses).filter(([, s]) => s === 'active' || s === 'inactive'));
    return { columns: cols, statuses: stats } as Parameters<typeof validateMapping>[0];
  }, [columns, statuses]);
  const problems = useMemo(() => {
    if (!sample) return [];
    const found = validateMapping(mapping, sample.headers);
    const hasStatus = Object.values(mapping.columns).includes('status');
    const unmapped = hasStatus ? sample.statusValues.filter((v) => !statuses[v]) : [];
    if (unmapped.length) found.push(`status value${unmapped.length === 1 ? '' : 's'} ${unmapped.map((v) => `'${v}'`).join(', ')} ${unmapped.length === 1 ? 'is' : 'are'} not mapped to active or inactive`);
    return found;
  }, [mapping, sample, statuses]);

  const onPreview = (file: File | null) => {
    if (!file) return;
    const form = new FormData();
    form.set('file', file);
    setBusy('preview');
    setPreviewError(null);
    startTransition(async () => {
      const state = await preview(undefined, form);
      setBusy(null);
      if (!state.ok || !state.data) {
        setSample(null);
        setPreviewError(state.error ?? 'The file could not be read.');
        return;
      }
      const p = state.data;
      setSample(p);
      setColumns(Object.fromEntries(p.headers.map((h) => [h, p.suggested.columns[h] ?? IGNORE])));
      const suggested = Object.fromEntries(Object.entries(p.suggested.statuses).map(([k, v]) => [k.toLowerCase(), v]));
      setStatuses(Object.fromEntries(p.statusValues.map((v) => [v, suggested[v.toLowerCase()] ?? ''])));
    });
  };

  const onSubmit = (form: HTMLFormElement) => {
    const data = new FormData(form);
    data.delete('sample');
    data.set('kind', kind);
    if (kind === 'csv') data.set('mapping', JSON.stringify({ ...mapping, ...(dateFormat ? { dateFormat } : {}) }));
    else data.delete('mapping');
    setBusy('save');
    startTransition(async () => {
      const state = await create(undefined, data);
      setBusy(null);
      setErrors(state.fieldErrors ?? {});
      setFormError(state.error && !state.fieldErrors ? state.error : state.fieldErrors ? state.error ?? null : null);
      if (state.ok && state.data) {
        toast.success(state.data.message);
        router.push('/admin/reconciliation');
      }
    });
  };

  const fid = (name: string) => `${id}-${name}`;
  const invalid = (name: string) => Boolean(errors[name]?.length) || undefined;
  const described = (name: string, hint = false) => (errors[name]?.length ? `${fid(name)}-error` : hint ? `${fid(name)}-hint` : undefined);
  const number = (name: string, label: string, hint: string, defaultValue = '') => (
    <div className="grid content-start gap-1.5">
      <Label htmlFor={fid(name)}>{label}</Label>
      <Input id={fid(name)} name={name} type="number" inputMode="numeric" min={1} defaultValue={defaultValue} aria-invalid={invalid(name)} aria-describedby={described(name, true)} />
      {errors[name]?.length ? null : (
        <p id={`${fid(name)}-hint`} className="text-xs text-muted-foreground">
          {hint}
        </p>
      )}
      <FieldError id={`${fid(name)}-error`} errors={errors[name]} />
    </div>
  );

  return (
    <form
      aria-label="New source"
      noValidate
      className="grid gap-8"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(e.currentTarget);
      }}
    >
      <section aria-labelledby={fid('what')} className="grid gap-4 sm:grid-cols-2">
        <h2 id={fid('what')} className="text-base font-semibold sm:col-span-2">
          The source
        </h2>
        <div className="grid content-start gap-1.5">
          <Label htmlFor={fid('name')}>Name</Label>
          <Input id={fid('name')} name="name" required maxLength={100} placeholder="Workday export" autoComplete="off" aria-invalid={invalid('name')} aria-describedby={described('name')} />
          <FieldError id={`${fid('name')}-error`} errors={errors.name} />
        </div>
        <fieldset className="grid content-start gap-2">
          <legend className="mb-1.5 text-sm font-medium">Kind</legend>
          <label className="flex items-center gap-2 text-sm">
            <input type="radio" name="kindChoice" value="csv" checked={kind === 'csv'} onChange={() => setKind('csv')} className="size-4 accent-primary" />
            HR export (CSV): Workday, BambooHR, Rippling, Personio…
          </label>
          <label className="flex items-center gap-2 text-sm">
            <input type="radio" name="kindChoice" value="scim" checked={kind === 'scim'} onChange={() => setKind('scim')} className="size-4 accent-primary" />
            SCIM directory: what the IdP pushes is the list
          </label>
        </fieldset>
      </section>

      {kind === 'csv' ? (
        <section aria-labelledby={fid('mapping')} className="grid gap-4">
          <h2 id={fid('mapping')} className="text-base font-semibold">
            Columns
          </h2>
          <div className="grid max-w-md gap-1.5">
            <Label htmlFor={fid('sample')}>Sample file</Label>
            <Input id={fid('sample')} name="sample" type="file" accept=".csv,text/csv" aria-describedby={`${fid('sample')}-hint`} onChange={(e) => onPreview(e.currentTarget.files?.[0] ?? null)} />
            <p id={`${fid('sample')}-hint`} className="text-xs text-muted-foreground">
              {busy === 'preview' ? 'Reading the first rows…' : 'An export of the source: its header and first rows suggest the mapping. Only a sample is read; nothing is saved.'}
            </p>
            {previewError ? (
              <p role="alert" className="text-sm text-destructive">
                {previewError}
              </p>
            ) : null}
          </div>
          {sample ? (
            <>
              <div className="overflow-x-auto rounded-md border">
                <Table aria-label="Column mapping">
                  <TableHeader>
                    <TableRow>
                      <TableHead scope="col">Column</TableHead>
                      <TableHead scope="col">Field</TableHead>
                      <TableHead scope="col">First values</TableHead>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {sample.headers.map((header, i) => (
                      <TableRow key={header} data-column={header}>
                        <TableCell className="font-medium">{header}</TableCell>
                        <TableCell>
                          <NativeSelect aria-label={`Field for ${header}`} value={columns[header] ?? IGNORE} onChange={(e) => setColumns((c) => ({ ...c, [header]: e.target.value }))} className="w-64">
                            <option value={IGNORE}>— ignore —</option>
                            {mappableFields.map((f) => (
                              <option key={f} value={f}>
                                {fieldLabels[f] ?? f}
                              </option>
                            ))}
                            <option value={extraOf(header)}>Custom attribute ({extraOf(header)})</option>
                          </NativeSelect>
                        </TableCell>
                        <TableCell className="max-w-xs truncate text-xs text-muted-foreground">{sample.rows.map((r) => r.cells[i] ?? '').filter(Boolean).slice(0, 3).join(' · ')}</TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </div>
              {sample.statusValues.length && Object.values(columns).includes('status') ? (
                <fieldset className="grid gap-2">
                  <legend className="mb-1 text-sm font-medium">Status values seen in {sample.fileName}</legend>
                  <div className="grid gap-2 sm:grid-cols-2 lg:grid-cols-3">
                    {sample.statusValues.map((value) => (
                      <div key={value} className="flex items-center gap-2" data-status-value={value}>
                        <Label htmlFor={`${fid('status')}-${value}`} className="w-32 truncate">
                          {value}
                        </Label>
                        <NativeSelect id={`${fid('status')}-${value}`} value={statuses[value] ?? ''} onChange={(e) => setStatuses((s) => ({ ...s, [value]: e.target.value }))} className="w-36">
                          <option value="">Choose…</option>
                          <option value="active">active</option>
                          <option value="inactive">inactive</option>
                        </NativeSelect>
                      </div>
                    ))}
                  </div>
                </fieldset>
              ) : null}
              <div className="grid max-w-xs gap-1.5">
                <Label htmlFor={fid('dateFormat')}>Dates written as</Label>
                <NativeSelect id={fid('dateFormat')} value={dateFormat} onChange={(e) => setDateFormat(e.target.value)}>
                  <option value="">ISO (YYYY-MM-DD)</option>
                  {dateFormats
                    .filter((f) => f !== 'YYYY-MM-DD')
                    .map((f) => (
                      <option key={f} value={f}>
                        {f}
                      </option>
                    ))}
                </NativeSelect>
              </div>
              <div aria-live="polite" data-testid="mapping-problems">
                {problems.length ? (
                  <ul className="grid gap-1 rounded-md bg-warning/10 p-3 text-sm text-warning ring-1 ring-warning/30 ring-inset">
                    {problems.map((p) => (
                      <li key={p}>{p}</li>
                    ))}
                  </ul>
                ) : (
                  <p className="text-sm text-success">The mapping reads this file.</p>
                )}
              </div>
              <details className="text-sm">
                <summary className="cursor-pointer rounded-sm text-muted-foreground">First rows of {sample.fileName} as written</summary>
                <div className="mt-2 overflow-x-auto rounded-md border">
                  <Table aria-label="First rows">
                    <TableHeader>
                      <TableRow>
                        <TableHead scope="col">Line</TableHead>
                        {sample.headers.map((h) => (
                          <TableHead key={h} scope="col">
                            {h}
                          </TableHead>
                        ))}
                      </TableRow>
                    </TableHeader>
                    <TableBody>
                      {sample.rows.map((r) => (
                        <TableRow key={r.line}>
                          <TableCell className="font-mono text-xs">{r.line}</TableCell>
                          {sample.headers.map((h, i) => (
                            <TableCell key={h} className="whitespace-nowrap text-xs">
                              {r.cells[i] ?? ''}
                            </TableCell>
                          ))}
                        </TableRow>
                      ))}
                    </TableBody>
                  </Table>
                </div>
              </details>
            </>
          ) : null}
        </section>
      ) : null}

      <section aria-labelledby={fid('remediation')} className="grid gap-4">
        <div>
          <h2 id={fid('remediation')} className="text-base font-semibold">
            Remediation
          </h2>
          <p className="text-sm text-muted-foreground">What a real run does about each kind of finding. Report only is the default; every action is audited with the run.</p>
        </div>
        <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
          {choices.map(({ category, allowed }) => {
            const options = kind === 'scim' ? allowed.filter((a) => a !== 'update') : allowed;
            return (
              <div key={category} className="grid content-start gap-1.5">
                <Label htmlFor={fid(`on_${category}`)}>{categoryLabels[category]}</Label>
                <NativeSelect id={fid(`on_${category}`)} name={`on_${category}`} defaultValue="report" aria-describedby={`${fid(`on_${category}`)}-hint`}>
                  {options.map((a) => (
                    <option key={a} value={a}>
                      {remediationLabels[a] ?? a}
                    </option>
                  ))}
                </NativeSelect>
                <p id={`${fid(`on_${category}`)}-hint`} className="text-xs text-muted-foreground">
                  {categoryHints[category]}
                </p>
              </div>
            );
          })}
        </div>
      </section>

      <section aria-labelledby={fid('checks')} className="grid gap-4">
        <div>
          <h2 id={fid('checks')} className="text-base font-semibold">
            Safety
          </h2>
          <p className="text-sm text-muted-foreground">A run that fails a check changes nobody. Bad rows and duplicate keys always halt it.</p>
        </div>
        <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
          {kind === 'csv' ? number('maxRowDropPercent', 'Max row drop (%)', 'Halt when the file has this much fewer rows than the last completed run.', '20') : null}
          {number('maxSharePercent', 'Max share (%)', 'The circuit breaker halts a run that would suspend or deprovision more of the active accounts; empty: the organization’s limit.')}
          {number('maxCount', 'Max count', 'The breaker also halts above this many accounts; empty: no count limit.')}
        </div>
        {kind === 'csv' ? (
          <div className="grid gap-4 sm:grid-cols-2">
            <div className="grid content-start gap-1.5">
              <Label htmlFor={fid('filePath')}>File path on the server</Label>
              <Input id={fid('filePath')} name="filePath" autoComplete="off" placeholder="/srv/hr/export.csv" aria-invalid={invalid('filePath')} aria-describedby={described('filePath', true)} />
              <p id={`${fid('filePath')}-hint`} className="text-xs text-muted-foreground">
                Optional: where the scheduled run reads the export. Empty: files are uploaded on each run.
              </p>
              <FieldError id={`${fid('filePath')}-error`} errors={errors.filePath} />
            </div>
            <div className="flex items-center gap-2 self-start pt-6">
              <input id={fid('scheduleEnabled')} name="scheduleEnabled" type="checkbox" className="size-4 accent-primary" />
              <Label htmlFor={fid('scheduleEnabled')}>Run daily from the file path</Label>
            </div>
          </div>
        ) : null}
      </section>

      <div className="flex flex-wrap items-center gap-3 border-t pt-4">
        <Button type="submit" disabled={pending}>
          <SaveIcon aria-hidden />
          {busy === 'save' ? 'Creating…' : 'Create source'}
        </Button>
        {kind === 'csv' && !sample ? (
          <span className="inline-flex items-center gap-1 text-sm text-muted-foreground">
            <EyeIcon aria-hidden className="size-4" /> Choose a sample file to map its columns.
          </span>
        ) : null}
        {formError ? (
          <p role="alert" className="text-sm text-destructive">
            {formError}
          </p>
        ) : null}
      </div>
    </form>
  );
}
