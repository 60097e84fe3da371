import { parseArgs } from 'node:util';
import { isAppError } from '@/lib/errors';
import { UsageError, commonOptions, type Command, type OptionValues } from './command';
import { accountCommands } from './commands/account';
import { accountsCommands } from './commands/accounts';
import { auditCommands } from './commands/audit';
import { connectionCommands } from './commands/connection';
import { dbCommands } from './commands/db';
import { jobsCommands } from './commands/jobs';
import { dormancyCommands } from './commands/dormancy';
import { orgCommands } from './commands/org';
import { roleCommands } from './commands/role';
import { groupCommands, roleReadCommands } from './commands/role-read';
import { ruleCommands } from './commands/rule';
import { scimTokenCommands } from './commands/scim-token';
import { seatsCommands } from './commands/seats';
import { loadProjectEnv, openDatabase, type OpenDatabase } from './open-database';

/** `roster <command> [options]`: thin adapters over db/queries and lib/lifecycle. Exit 0 ok, 1 refused, 2 usage. */
const commands: Command[] = [
  ...orgCommands,
  ...connectionCommands,
  ...accountsCommands,
  ...accountCommands,
  ...roleCommands,
  ...roleReadCommands,
  ...groupCommands,
  ...ruleCommands,
  ...scimTokenCommands,
  ...auditCommands,
  ...jobsCommands,
  ...dormancyCommands,
  ...seatsCommands,
  ...dbCommands,
];

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
    const topic = args.slice(1);
    const found = topic.length ? findCommand(topic) : null;
    process.stdout.write(`${found ? commandHelp(found.command) : overview(topic[0])}\n`);
    return 0;
  }
  const found = findCommand(args);
  if (!found) {
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
