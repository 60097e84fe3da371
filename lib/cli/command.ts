import type { ParseArgsConfig } from 'node:util';
import type { Database } from '@/db';

/** What a command prints: `data` with --json, `text` otherwise. */
export type CommandOutput = { data: unknown; text: string };
export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;
export type CommandContext = { db: Database; url: string };
/** Runs a parsed command against the database. */
export type Runner = (ctx: CommandContext) => Promise<CommandOutput>;

export type Command = {
  /** The words that select it: 'org create'. */
  name: string;
  summary: string;
  /** The option lines of `roster <name> --help`: [flag, description]. */
  usage: [flag: string, description: string][];
  options: NonNullable<ParseArgsConfig['options']>;
  /** Words after the command's name, as they appear in its usage ('NAME' in `jobs run NAME`); none if absent. */
  positionals?: string[];
  /** Validates the options (throwing UsageError) before any database is opened. */
  prepare: (values: OptionValues, positionals: string[]) => Runner;
};

/** Bad input: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function optionalString(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new UsageError(`--${name} takes a value`);
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

export function requiredString(values: OptionValues, name: string): string {
  const value = optionalString(values, name);
  if (value === undefined) throw new UsageError(`--${name} is required`);
  return value;
}

export function stringList(values: OptionValues, name: string): string[] {
  const value = values[name];
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return list.map((v) => (typeof v === 'string' ? v.trim() : '')).filter((v) => v !== '');
}

export function integer(values: OptionValues, name: string, fallback: number, range: { min: number; max: number }): number {
  const raw = optionalString(values, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < range.min || n > range.max) {
    throw new UsageError(`--${name} must be a whole number from ${range.min} to ${range.max}`);
  }
  return n;
}

export function oneOf<T extends string>(values: OptionValues, name: string, allowed: readonly T[]): T | undefined {
  const raw = optionalString(values, name);
  if (raw === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(raw)) throw new UsageError(`--${name} must be one of: ${allowed.join(', ')}`);
  return raw as T;
}

export function flag(values: OptionValues, name: string): boolean {
  return values[name] === true;
}

/** Options every command takes. */
export const commonOptions = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

export const orgOption = { org: { type: 'string' } } as const satisfies ParseArgsConfig['options'];
