import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COMMAND_SYNOPSES, parseCommand, USAGE } from '../../src/cli/commands.ts';

const noFile = () => {
  throw Object.assign(new Error('nope'), { code: 'ENOENT' });
};

test('CLI argv parsing: every command and its options', () => {
  assert.deepEqual(parseCommand(['users', 'add', 'a@b.c'], noFile), { name: 'users add', email: 'a@b.c', credits: 0 });
  assert.deepEqual(parseCommand(['users', 'add', 'a@b.c', '--credits', '15'], noFile), { name: 'users add', email: 'a@b.c', credits: 15 });
  assert.deepEqual(parseCommand(['users', 'add', '--credits=3', 'a@b.c'], noFile), { name: 'users add', email: 'a@b.c', credits: 3 });
  assert.deepEqual(parseCommand(['users', 'show', 'a@b.c'], noFile), { name: 'users show', email: 'a@b.c' });
  assert.deepEqual(parseCommand(['users', 'disable', 'a@b.c'], noFile), { name: 'users disable', email: 'a@b.c' });
  assert.deepEqual(parseCommand(['keys', 'add', 'a@b.c', '--signing'], noFile), { name: 'keys add', email: 'a@b.c', signing: true });
  assert.deepEqual(parseCommand(['keys', 'add', 'a@b.c'], noFile), { name: 'keys add', email: 'a@b.c', signing: false });
  assert.deepEqual(parseCommand(['keys', 'revoke', 'key_x'], noFile), { name: 'keys revoke', keyId: 'key_x' });
  assert.deepEqual(parseCommand(['db', 'migrate'], noFile), { name: 'db migrate' });
  assert.deepEqual(parseCommand(['credits', 'grant', 'a@b.c', '7'], noFile), { name: 'credits grant', email: 'a@b.c', amount: 7 });
  assert.deepEqual(parseCommand(['presets', 'add', 'garment', 'g.png'], () => Buffer.from('img')), {
    name: 'presets add',
    kind: 'garment',
    bytesBase64: Buffer.from('img').toString('base64'),
  });
});

test('CLI argv parsing: bad input is refused with a reason', () => {
  assert.throws(() => parseCommand(['users', 'add', 'a@b.c', '--credits', '-1'], noFile), /--credits/);
  assert.throws(() => parseCommand(['credits', 'grant', 'a@b.c', '0'], noFile), /positive/);
  assert.throws(() => parseCommand(['credits', 'grant', 'a@b.c'], noFile), /expected 2 arguments/);
  assert.throws(() => parseCommand(['keys', 'add', 'a@b.c', '--sign'], noFile), /unknown option --sign/);
  assert.throws(() => parseCommand(['presets', 'add', 'hat', 'x.png'], noFile), /model or garment/);
  assert.throws(() => parseCommand(['presets', 'add', 'model', 'missing.png'], noFile), /cannot read missing.png: ENOENT/);
  assert.throws(() => parseCommand(['users', 'delete', 'a@b.c'], noFile), /unknown command users delete/);
  assert.throws(() => parseCommand([], noFile), /unknown command \(none\)/);
  assert.throws(() => parseCommand(['users', 'add', 'a@b.c', '--credits'], noFile), /--credits needs a value/);
  assert.throws(() => parseCommand(['users', 'add', 'a@b.c', '--credits', 'lots'], noFile), /--credits: expected a whole number, got "lots"/);
  assert.throws(() => parseCommand(['users', 'show', 'a@b.c', '--credits', '5'], noFile), /users show: unknown option --credits/);
  assert.throws(() => parseCommand(['keys', 'add', 'a@b.c', '--signing=yes'], noFile), /--signing takes no value/);
  assert.throws(() => parseCommand(['credits', 'grant', 'a@b.c', '5', '6'], noFile), /expected 2 arguments \(EMAIL N\), got 3/);
  assert.throws(() => parseCommand(['db', 'migrate', 'now'], noFile), /db migrate: expected 0 arguments/);
});

test('the usage text (src/cli/usage.txt, printed by help) shows every command with its arguments', () => {
  for (const synopsis of COMMAND_SYNOPSES) assert.ok(USAGE.includes(`  ${synopsis} `), `usage shows "${synopsis}"`);
});
