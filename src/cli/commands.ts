/**
 * The operator commands, as data (`CliCommand`) and one executor over the domain services. The CLI
 * parses argv into a command; when a server runs on the same data dir it sends the command to the
 * server (which runs `executeCommand` on its own database), otherwise it runs it itself.
 * Kept light (node builtins and the error table only): the CLI loads the rest per command.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { ApiError, invalidParam } from '../domain/errors.ts';
import type { PresetKind } from '../domain/presets.ts';
import type { Services } from '../domain/services.ts';
import { DEFAULT_USER_LIMITS, type UserLimits } from '../domain/user-limits.ts';

export type CliCommand =
  | { name: 'users add'; email: string; credits: number }
  | { name: 'users show'; email: string }
  | { name: 'users disable'; email: string }
  | { name: 'users reset-password'; email: string }
  | { name: 'users invite'; email: string }
  /** Sets the given limits (null: back to the default), keeps the others; none given: shows them. */
  | { name: 'users limits'; email: string; limits: Partial<UserLimits> }
  | { name: 'keys add'; email: string; signing: boolean }
  | { name: 'keys revoke'; keyId: string }
  | { name: 'credits grant'; email: string; amount: number }
  | { name: 'presets add'; kind: PresetKind; bytesBase64: string }
  | { name: 'db migrate' };

/** How one command reads its argv: positional argument names and the options it accepts. */
interface CommandSpec {
  args: readonly string[];
  options: Readonly<Record<string, { type: 'string' | 'boolean' }>>;
}

/** Every command but `serve` and `help`, keyed by its two words (usage.txt describes each). */
const COMMANDS = {
  'users add': { args: ['EMAIL'], options: { credits: { type: 'string' } } },
  'users show': { args: ['EMAIL'], options: {} },
  'users disable': { args: ['EMAIL'], options: {} },
  'users reset-password': { args: ['EMAIL'], options: {} },
  'users invite': { args: ['EMAIL'], options: {} },
  'users limits': {
    args: ['EMAIL'],
    options: { 'per-minute': { type: 'string' }, burst: { type: 'string' }, 'in-progress': { type: 'string' }, default: { type: 'boolean' } },
  },
  'keys add': { args: ['EMAIL'], options: { signing: { type: 'boolean' } } },
  'keys revoke': { args: ['KEY_ID'], options: {} },
  'credits grant': { args: ['EMAIL', 'N'], options: {} },
  'presets add': { args: ['model|garment', 'FILE'], options: {} },
  'db migrate': { args: [], options: {} },
} as const satisfies Record<string, CommandSpec>;

type CommandName = keyof typeof COMMANDS;

/** Each command's name and arguments as the usage shows them, e.g. `credits grant EMAIL N`. */
export const COMMAND_SYNOPSES: readonly string[] = Object.entries(COMMANDS).map(([name, spec]: [string, CommandSpec]) =>
  [name, ...spec.args].join(' '),
);

/**
 * `fitroom help`. A text file rather than code so that bin/fitroom.js prints it without loading
 * TypeScript support at all (the one command that must answer instantly).
 */
export const USAGE = fs.readFileSync(new URL('./usage.txt', import.meta.url), 'utf8').trimEnd();

/** A command line that cannot be a command; the CLI prints its message as `{"error": ...}`. */
export class UsageError extends Error {
  constructor(message: string) {
    super(`${message} (fitroom help lists the commands)`);
    this.name = 'UsageError';
  }
}

function parseCount(name: string, raw: string | undefined, allowZero: boolean): number {
  if (raw === undefined || !/^\d+$/.test(raw) || (!allowZero && Number(raw) === 0) || !Number.isSafeInteger(Number(raw))) {
    throw invalidParam(name, allowZero ? 'a whole number' : 'a positive whole number', raw === undefined ? 'nothing' : JSON.stringify(raw));
  }
  return Number(raw);
}

/**
 * `users limits` options: --per-minute N (0: no rate limit), --burst N and --in-progress N (N >= 1),
 * or --default alone to put all three back to the configured defaults.
 */
function parseUserLimits(values: Record<string, string | boolean | undefined>): Partial<UserLimits> {
  const count = (option: string, allowZero: boolean) => {
    const raw = values[option];
    return raw === undefined ? undefined : parseCount(`--${option}`, String(raw), allowZero);
  };
  const limits: Partial<UserLimits> = {};
  const perMinute = count('per-minute', true);
  const burst = count('burst', false);
  const inProgress = count('in-progress', false);
  if (perMinute !== undefined) limits.perMinute = perMinute;
  if (burst !== undefined) limits.burst = burst;
  if (inProgress !== undefined) limits.inProgress = inProgress;
  if (values.default === true) {
    if (Object.keys(limits).length > 0) throw new UsageError('users limits: --default clears every limit; give it alone');
    return { ...DEFAULT_USER_LIMITS };
  }
  return limits;
}

/** node:util parseArgs with its errors rewritten as one short line. */
function parseCommandArgs(name: CommandName, argv: readonly string[]) {
  const spec: CommandSpec = COMMANDS[name];
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: spec.options, allowPositionals: true, strict: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const option = /'(--?[^' ]+)/.exec((err as Error).message)?.[1];
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`${name}: unknown option ${option ?? ''}`.trim());
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
      throw new UsageError(spec.options[option.replace(/^-+/, '')]?.type === 'boolean' ? `${name}: ${option} takes no value` : `${name}: ${option} needs a value (${option}=VALUE for one starting with -)`);
    }
    throw new UsageError(`${name}: ${(err as Error).message.split('\n')[0]}`);
  }
  if (parsed.positionals.length !== spec.args.length) {
    const n = spec.args.length;
    throw new UsageError(`${name}: expected ${n} argument${n === 1 ? '' : 's'} (${spec.args.join(' ') || 'none'}), got ${parsed.positionals.length}`);
  }
  return { args: parsed.positionals, values: parsed.values as Record<string, string | boolean | undefined> };
}

/**
 * Parses argv (without `node` and the script) into a command. `readFile` reads FILE for presets
 * (the CLI's own file system, also when the server does the work). Throws with a reason.
 */
export function parseCommand(argv: readonly string[], readFile: (path: string) => Buffer): CliCommand {
  const name = argv.slice(0, 2).join(' ');
  if (!Object.hasOwn(COMMANDS, name)) throw new UsageError(`unknown command ${name || '(none)'}`);
  const { args, values } = parseCommandArgs(name as CommandName, argv.slice(2));
  switch (name as CommandName) {
    case 'users add':
      return { name: 'users add', email: args[0], credits: values.credits === undefined ? 0 : parseCount('--credits', String(values.credits), true) };
    case 'users show':
      return { name: 'users show', email: args[0] };
    case 'users disable':
      return { name: 'users disable', email: args[0] };
    case 'users reset-password':
      return { name: 'users reset-password', email: args[0] };
    case 'users invite':
      return { name: 'users invite', email: args[0] };
    case 'users limits':
      return { name: 'users limits', email: args[0], limits: parseUserLimits(values) };
    case 'keys add':
      return { name: 'keys add', email: args[0], signing: values.signing === true };
    case 'keys revoke':
      return { name: 'keys revoke', keyId: args[0] };
    case 'credits grant':
      return { name: 'credits grant', email: args[0], amount: parseCount('N', args[1], false) };
    case 'presets add': {
      const [kind, file] = args;
      if (kind !== 'model' && kind !== 'garment') throw new UsageError(`presets add: expected model or garment, got ${kind}`);
      let bytes: Buffer;
      try {
        bytes = readFile(file);
      } catch (err) {
        throw new Error(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, { cause: err });
      }
      return { name: 'presets add', kind, bytesBase64: bytes.toString('base64') };
    }
    case 'db migrate':
      return { name: 'db migrate' };
  }
}

/** Runs a command; resolves with the JSON object the CLI prints. */
export async function executeCommand(cmd: CliCommand, services: Services): Promise<Record<string, unknown>> {
  const { users, keys, credits, presets } = services;
  switch (cmd.name) {
    case 'users add': {
      const user = await users.create(cmd.email);
      const balance = cmd.credits > 0 ? await credits.grant(user.id, cmd.credits, 'initial credits') : 0;
      return { id: user.id, email: user.email, credits: balance };
    }
    case 'users show': {
      const user = await users.getByEmail(cmd.email);
      return {
        id: user.id,
        email: user.email,
        status: user.status,
        credits: user.balance,
        // Held by calls in flight; 0 on an idle server (a crash's holds are released at the next start).
        reserved: user.reserved,
        trialRemaining: user.trialRemaining,
        ledgerSum: await users.ledgerSum(user.id),
      };
    }
    case 'users disable': {
      const user = await users.disable(cmd.email);
      return { id: user.id, email: user.email, status: user.status };
    }
    case 'users reset-password': {
      // No mail server is assumed: the operator hands the token (or the page's address) to the user.
      const reset = await services.accounts.createPasswordReset(cmd.email);
      return { email: reset.email, token: reset.token, path: `/dashboard/reset?token=${reset.token}`, expiresAt: reset.expiresAt.toISOString() };
    }
    case 'users invite': {
      const invite = await services.accounts.createInvite(cmd.email, null);
      return { email: invite.email, token: invite.token, path: `/dashboard/signup?invite=${invite.token}&email=${encodeURIComponent(invite.email)}`, expiresAt: invite.expiresAt.toISOString() };
    }
    case 'users limits':
      return users.setLimits(cmd.email, cmd.limits);
    case 'keys add': {
      const user = await users.getByEmail(cmd.email);
      const key = await keys.create(user.id, { signing: cmd.signing });
      return { id: key.id, apiKey: key.apiKey, signingSecret: key.signingSecret };
    }
    case 'keys revoke':
      await keys.revoke(cmd.keyId);
      return { id: cmd.keyId, revoked: true };
    case 'credits grant': {
      const user = await users.getByEmail(cmd.email);
      const balance = await credits.grant(user.id, cmd.amount);
      return { email: user.email, credits: balance };
    }
    case 'presets add': {
      const preset = await presets.add(cmd.kind, Buffer.from(cmd.bytesBase64, 'base64'));
      return { id: preset.id, kind: preset.kind, url: preset.url };
    }
    case 'db migrate':
      return { schemaVersion: await services.schemaVersion() };
    default:
      throw new ApiError('INVALID_PARAM', 'command: unknown command');
  }
}

/** The message a failed command prints: the detail of an ApiError, else the error's message. */
export function commandErrorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.detail;
  return err instanceof Error ? err.message : String(err);
}
