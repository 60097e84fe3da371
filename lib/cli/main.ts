import { parseArgs } from 'node:util';
import { isAppError } from '@/lib/errors';
import { UsageError, commonOptions, type Command, type OptionValues } from './command';
import { loadProjectEnv, openDatabase, type OpenDatabase } from './open-database';

/**
 * `roster <command> [options]`: thin adapters over db/queries and lib/lifecycle. Exit 0 ok, 1 refused, 2 usage.
 * Each module of commands is imported only when its first word is called (a read loads what it
 * reads, not pg-boss, SAML or every lifecycle command); help loads them all. The order is help's.
 */
type CommandModule = { words: string[]; load: () => Promise<Command[]> };
const modules: CommandModule[] = [
  { words: ['org'], load: async () => (await import('./commands/org')).orgCommands },
  { words: ['org'], load: async () => (await import('./commands/org-settings')).orgSettingsCommands },
  { words: ['connection'], load: async () => (await import('./commands/connection')).connectionCommands },
  { words: ['accounts'], load: async () => (await import('./commands/accounts')).accountsCommands },
  { words: ['account'], load: async () => (await import('./commands/account')).accountCommands },
  { words: ['role', 'grant-admin'], load: async () => (await import('./commands/role')).roleCommands },
  { words: ['role', 'group'], load: async () => Object.values(await import('./commands/role-read')).flat() },
  { words: ['group'], load: async () => (await import('./commands/group')).groupMapCommands },
  { words: ['rule'], load: async () => (await import('./commands/rule')).ruleCommands },
  { words: ['conflicts'], load: async () => (await import('./commands/conflicts')).conflictsCommands },
  { words: ['scim-token'], load: async () => (await import('./commands/scim-token')).scimTokenCommands },
  { words: ['scim'], load: async () => (await import('./commands/scim')).scimCommands },
  { words: ['audit'], load: async () => (await import('./commands/audit')).auditCommands },
  { words: ['jobs'], load: async () => (await import('./commands/jobs')).jobsCommands },
  { words: ['dormancy', 'account'], load: async () => (await import('./commands/dormancy')).dormancyCommands },
  { words: ['reconcile'], load: async () => (await import('./commands/reconcile')).reconcileCommands },
  { words: ['seats'], load: async () => (await import('./commands/seats')).seatsCommands },
  { words: ['db'], load: async () => (await import('./commands/db')).dbCommands },
];

/** The commands a first word can name (all of them without one). */
async function loadCommands(first?: string): Promise<Command[]> {
  const chosen = first === undefined ? modules : modules.filter((m) => m.words.includes(first));
  return (await Promise.all(chosen.map((m) => m.load()))).flat();
}

let commands: Command[] = [];

function overview(filter?: string): string {
  const shown = commands.filter((c) => !filter || c.name.startsWith(`${filter} `));
  const width = Math.max(...shown.map((c) => c.name.length)) + 2;
  return [
    'Usage: roster <command> [options] [--json]',
    '',
    'Commands:',
    ...shown.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    "Run 'roster <command> --help' for its options. --json prints one JSON document on stdout.",
    'Database: DATABASE_URL, else the embedded PostgreSQL of this checkout (.env.local is read first).',
  ].join('\n');
}

function commandHelp(command: Command): string {
  const lines: [string, string][] = [...command.usage, ['--json', 'print one JSON document'], ['--help', 'this help']];
  const width = Math.max(...lines.map(([flag]) => flag.length)) + 2;
  return [`Usage: roster ${[command.name, ...(command.positionals ?? [])].join(' ')} [options]`, '', command.summary, '', ...lines.map(([f, d]) => `  ${f.padEnd(width)}${d}`)].join('\n');
}

/** The command whose name the arguments start with, and the arguments after it. */
function findCommand(args: string[]): { command: Command; rest: string[] } | null {
  for (const command of commands) {
    const words = command.name.split(' ');
    if (words.every((word, i) => args[i] === word)) return { command, rest: args.slice(words.length) };
  }
  return null;
}

function usageFailure(message: string, hint: string): number {
  process.stderr.write(`roster: ${message}\n${hint}\n`);
  return 2;
}

/** The message and its causes (drizzle wraps the driver's error, e.g. ECONNREFUSED, as the cause). */
function describe(error: unknown): string {
  const lines: string[] = [];
  for (let e: unknown = error, depth = 0; e !== undefined && depth < 4; e = e instanceof Error ? e.cause : undefined, depth++) {
    const message = e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e);
    lines.push(depth === 0 ? message : `  caused by: ${message}`);
  }
  return lines.join('\n');
}

let open: OpenDatabase | undefined;

async function execute(command: Command, rest: string[]): Promise<number> {
  const expected = command.positionals ?? [];
  const { values, positionals } = parseArgs({ args: rest, options: { ...commonOptions, ...command.options }, strict: true, allowPositionals: expected.length > 0 });
  if (positionals.length !== expected.length) {
    throw new UsageError(positionals.length < expected.length ? `${expected[positionals.length]} is required` : `unexpected argument: ${positionals[expected.length]}`);
  }
  const runner = command.prepare(values as OptionValues, positionals);
  open = await openDatabase();
  const output = await runner({ db: open.db, url: open.url });
  process.stdout.write(values.json === true ? `${JSON.stringify(output.data, null, 2)}\n` : `${output.text}\n`);
  return 0;
}

async function main(args: string[]): Promise<number> {
  if (args.length === 0 || ['help', '--help', '-h'].includes(args[0]!)) {
    commands = await loadCommands();
    const topic = args.slice(1);
    const found = topic.length ? findCommand(topic) : null;
    process.stdout.write(`${found ? commandHelp(found.command) : overview(topic[0])}\n`);
    return 0;
  }
  commands = await loadCommands(args[0]);
  const found = findCommand(args);
  if (!found) {
    if (commands.length === 0) return usageFailure(`unknown command: ${args[0]}`, "Run 'roster help' for the list of commands.");
    const group = commands.some((c) => c.name.startsWith(`${args[0]} `));
    if (group && args.length > 1 && args.slice(1).every((a) => a === '--help' || a === '-h')) return process.stdout.write(`${overview(args[0])}\n`), 0;
    return usageFailure(`unknown command: ${args.slice(0, group ? 2 : 1).join(' ')}`, group ? overview(args[0]) : "Run 'roster help' for the list of commands.");
  }
  const { command, rest } = found;
  if (rest.includes('--help') || rest.includes('-h')) return process.stdout.write(`${commandHelp(command)}\n`), 0;
  loadProjectEnv();
  try {
    return await execute(command, rest);
  } catch (error) {
    const hint = `Run 'roster ${command.name} --help' for usage.`;
    if (error instanceof UsageError) return usageFailure(`${command.name}: ${error.message}`, hint);
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      return usageFailure(`${command.name}: ${error.message}`, hint);
    }
    if (isAppError(error)) {
      process.stderr.write(`roster: ${error.message}\n`);
      return error.code === 'invalid_input' ? 2 : 1;
    }
    process.stderr.write(`roster: ${describe(error)}\n`);
    return 1;
  }
}

async function shutdown(code: number): Promise<never> {
  const closing = open;
  open = undefined;
  await closing?.close().catch((error: unknown) => process.stderr.write(`roster: while closing the database: ${String(error)}\n`));
  process.exit(code);
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    void shutdown(130);
  });
}

void main(process.argv.slice(2)).then(shutdown, (error: unknown) => {
  process.stderr.write(`roster: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return shutdown(1);
});
