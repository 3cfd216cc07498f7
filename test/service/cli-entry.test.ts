/**
 * bin/cli-entry.js: `npx fitroom` runs the built CLI from dist/ only while the build is at least as
 * new as every file under src/ (an edit after the build must never run stale code). Real files in a
 * temporary tree, with modification times set explicitly.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { BUILD_STAMP, freshBuiltCli } from '../../bin/cli-entry.js';

const roots: string[] = [];
after(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

/** A repo-shaped tree: src/ files and a dist/ build whose stamp is at `builtAt` (Unix seconds). */
function tree(builtAt: number, sources: Record<string, number>, options: { stamp?: boolean; entry?: boolean } = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'fitroom-cli-entry-'));
  roots.push(root);
  for (const [file, mtime] of Object.entries(sources)) {
    mkdirSync(join(root, 'src', file, '..'), { recursive: true });
    writeFileSync(join(root, 'src', file), '// source\n');
    utimesSync(join(root, 'src', file), mtime, mtime);
  }
  mkdirSync(join(root, 'dist', 'cli'), { recursive: true });
  if (options.entry !== false) writeFileSync(join(root, 'dist', 'cli', 'main.js'), '// built\n');
  if (options.stamp !== false) {
    writeFileSync(join(root, 'dist', BUILD_STAMP), 'built\n');
    utimesSync(join(root, 'dist', BUILD_STAMP), builtAt, builtAt);
  }
  return root;
}

const T = 1_800_000_000;

test('a build newer than every source (nested folders included) runs from dist/', () => {
  const root = tree(T, { 'main.ts': T - 100, 'cli/main.ts': T - 50, 'db/migrations/001_initial.sql': T - 10 });
  assert.equal(freshBuiltCli(root), join(root, 'dist', 'cli', 'main.js'));
});

test('a source file changed after the build (however deep) runs the source', () => {
  assert.equal(freshBuiltCli(tree(T, { 'main.ts': T - 100, 'domain/deep/users.ts': T + 1 })), null);
  assert.equal(freshBuiltCli(tree(T, { 'db/migrations/006_new.sql': T + 60, 'main.ts': T - 100 })), null, 'a new migration is a change too');
});

test('no stamp (a build that did not finish, or none) or no built CLI runs the source', () => {
  assert.equal(freshBuiltCli(tree(T, { 'main.ts': T - 100 }, { stamp: false })), null);
  assert.equal(freshBuiltCli(tree(T, { 'main.ts': T - 100 }, { entry: false })), null);
  const empty = mkdtempSync(join(tmpdir(), 'fitroom-cli-entry-'));
  roots.push(empty);
  assert.equal(freshBuiltCli(empty), null);
});
