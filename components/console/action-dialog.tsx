'use client';

import { useActionState, useId, useState, type ReactNode } from 'react';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from '@/components/ui/dialog';
import { FieldError, Input, Label, NativeSelect } from '@/components/ui/input';
import type { ActionState } from '@/lib/auth/define-action';

export type ActionField =
  | { name: string; label: string; kind: 'text' | 'date'; required?: boolean; placeholder?: string; hint?: string }
  | { name: string; label: string; kind: 'select'; required?: boolean; options: { value: string; label: string }[]; hint?: string }
  | { name: string; label: string; kind: 'file'; required?: boolean; accept?: string; hint?: string };

type Props = {
  /** The button that opens the dialog, named by its verb. */
  label: string;
  icon?: ReactNode;
  variant?: 'default' | 'outline' | 'destructive' | 'secondary' | 'ghost';
  title: string;
  description: ReactNode;
  submitLabel: string;
  destructive?: boolean;
  fields?: ActionField[];
  hidden: Record<string, string>;
  action: (state: ActionState<{ message: string }> | undefined, form: FormData) => Promise<ActionState<{ message: string }>>;
  disabled?: boolean;
};

/**
 * A console action behind a confirmation dialog: it says what will happen, asks for what the command
 * needs, and shows the server's answer — errors beside their fields, success as a toast.
 */
export function ActionDialog({ label, icon, variant = 'outline', title, description, submitLabel, destructive, fields = [], hidden, action, disabled }: Props) {
  const [open, setOpen] = useState(false);
  // React resets a form after its action runs: what was typed is kept here and put back on a refusal.
  const [values, setValues] = useState<{ round: number; fields: Record<string, string> }>({ round: 0, fields: {} });
  const [state, submit, pending] = useActionState(async (previous: ActionState<{ message: string }> | undefined, form: FormData) => {
    setValues((v) => ({ round: v.round + 1, fields: Object.fromEntries([...form.entries()].filter(([, val]) => typeof val === 'string').map(([k, val]) => [k, String(val)])) }));
    const result = await action(previous, form);
    if (result.ok) {
      toast.success(result.data?.message ?? 'Done.');
      setValues((v) => ({ round: v.round + 1, fields: {} }));
      setOpen(false);
    }
    return result;
  }, undefined);
  const id = useId();
  const errors = state?.fieldErrors ?? {};
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant={variant} size="sm" disabled={disabled}>
          {icon}
          {label}
        </Button>
      </DialogTrigger>
      <DialogContent>
        <form action={submit} className="grid gap-4" noValidate>
          <DialogHeader>
            <DialogTitle>{title}</DialogTitle>
            <DialogDescription>{description}</DialogDescription>
          </DialogHeader>
          {Object.entries(hidden).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          {fields.map((field) => {
            const fieldId = `${id}-${field.name}`;
            const errorId = `${fieldId}-error`;
            const invalid = Boolean(errors[field.name]?.length);
            const common = {
              id: fieldId,
              name: field.name,
              required: field.required,
              defaultValue: values.fields[field.name] ?? '',
              'aria-invalid': invalid || undefined,
              'aria-describedby': invalid ? errorId : field.hint ? `${fieldId}-hint` : undefined,
            };
            return (
              <div key={`${field.name}-${values.round}`} className="grid gap-1.5">
                <Label htmlFor={fieldId}>{field.label}</Label>
                {field.kind === 'select' ? (
                  <NativeSelect {...common}>
                    <option value="" disabled>
                      Choose…
                    </option>
                    {field.options.map((o) => (
                      <option key={o.value} value={o.value}>
                        {o.label}
                      </option>
                    ))}
                  </NativeSelect>
                ) : field.kind === 'file' ? (
                  <Input {...common} defaultValue={undefined} type="file" accept={field.accept} />
                ) : (
                  <Input {...common} type={field.kind === 'date' ? 'date' : 'text'} placeholder={field.kind === 'text' ? field.placeholder : undefined} autoComplete="off" />
                )}
                {field.hint && !invalid ? (
                  <p id={`${fieldId}-hint`} className="text-xs text-muted-foreground">
                    {field.hint}
                  </p>
                ) : null}
                <FieldError id={errorId} errors={errors[field.name]} />
              </div>
            );
          })}
          {state?.error && !Object.keys(errors).length ? (
            <p role="alert" className="text-sm text-destructive">
              {state.error}
            </p>
          ) : null}
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" variant={destructive ? 'destructive' : 'default'} disabled={pending}>
              {pending ? 'Working…' : submitLabel}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
