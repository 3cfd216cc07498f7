/**
 * The operator commands, as data (`CliCommand`) and one executor over the domain services. The CLI
 * parses argv into a command; when a server runs on the same data dir it sends the command to the
 * server (which runs `executeCommand` on its own database), otherwise it runs it itself.
 */
import { ApiError, invalidParam } from '../domain/errors.ts';
import type { PresetKind } from '../domain/presets.ts';
import type { Services } from '../domain/services.ts';

export type CliCommand =
  | { name: 'users add'; email: string; credits: number }
  | { name: 'users show'; email: string }
  | { name: 'users disable'; email: string }
  | { name: 'keys add'; email: string; signing: boolean }
  | { name: 'keys revoke'; keyId: string }
  | { name: 'credits grant'; email: string; amount: number }
  | { name: 'presets add'; kind: PresetKind; bytesBase64: string };

export const USAGE = `usage: fitroom <command>
  serve                               start the API server
  users add EMAIL [--credits N]       create a user (N credits; none = a trial user)
  users show EMAIL                    balance, trial calls left, ledger sum
  users disable EMAIL                 block every key of the user
  keys add EMAIL [--signing]          create an API key (and a signing secret), shown once
  keys revoke KEY_ID                  revoke a key
  credits grant EMAIL N               add N credits
  presets add model|garment FILE      register a preset image`;

function parseCount(name: string, raw: string | undefined, allowZero: boolean): number {
  if (raw === undefined || !/^\d+$/.test(raw) || (!allowZero && Number(raw) === 0) || !Number.isSafeInteger(Number(raw))) {
    throw invalidParam(name, allowZero ? 'a whole number' : 'a positive whole number', raw === undefined ? 'nothing' : JSON.stringify(raw));
  }
  return Number(raw);
}

/**
 * Parses argv (without `node` and the script) into a command. `readFile` reads FILE for presets
 * (the CLI's own file system, also when the server does the work). Throws with a usage message.
 */
export function parseCommand(argv: readonly string[], readFile: (path: string) => Buffer): CliCommand {
  const [group, action, ...rest] = argv;
  const flags = new Set(rest.filter((a) => a.startsWith('--')));
  const positional: string[] = [];
  let credits: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--credits') credits = rest[++i] ?? '';
    else if (rest[i].startsWith('--credits=')) credits = rest[i].slice('--credits='.length);
    else if (!rest[i].startsWith('--')) positional.push(rest[i]);
  }
  flags.delete('--credits');
  for (const f of flags) if (!f.startsWith('--credits=') && f !== '--signing') throw new Error(`unknown option ${f}\n${USAGE}`);
  const need = (n: number) => {
    if (positional.length !== n) throw new Error(`${group} ${action}: expected ${n} argument${n === 1 ? '' : 's'}\n${USAGE}`);
  };
  switch (`${group} ${action}`) {
    case 'users add':
      need(1);
      return { name: 'users add', email: positional[0], credits: credits === undefined ? 0 : parseCount('--credits', credits, true) };
    case 'users show':
      need(1);
      return { name: 'users show', email: positional[0] };
    case 'users disable':
      need(1);
      return { name: 'users disable', email: positional[0] };
    case 'keys add':
      need(1);
      return { name: 'keys add', email: positional[0], signing: flags.has('--signing') };
    case 'keys revoke':
      need(1);
      return { name: 'keys revoke', keyId: positional[0] };
    case 'credits grant':
      need(2);
      return { name: 'credits grant', email: positional[0], amount: parseCount('N', positional[1], false) };
    case 'presets add': {
      need(2);
      const kind = positional[0];
      if (kind !== 'model' && kind !== 'garment') throw new Error(`presets add: expected model or garment, got ${kind}\n${USAGE}`);
      let bytes: Buffer;
      try {
        bytes = readFile(positional[1]);
      } catch (err) {
        throw new Error(`cannot read ${positional[1]}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, { cause: err });
      }
      return { name: 'presets add', kind, bytesBase64: bytes.toString('base64') };
    }
    default:
      throw new Error(`unknown command ${[group, action].filter(Boolean).join(' ') || '(none)'}\n${USAGE}`);
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
        trialRemaining: user.trialRemaining,
        ledgerSum: await users.ledgerSum(user.id),
      };
    }
    case 'users disable': {
      const user = await users.disable(cmd.email);
      return { id: user.id, email: user.email, status: user.status };
    }
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
    default:
      throw new ApiError('INVALID_PARAM', 'command: unknown command');
  }
}

/** The message a failed command prints: the detail of an ApiError, else the error's message. */
export function commandErrorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.detail;
  return err instanceof Error ? err.message : String(err);
}
