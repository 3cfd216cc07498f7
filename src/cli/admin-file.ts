/**
 * `DATA_DIR/admin.json`: written by a running server (mode 0600) so the CLI on the same machine can
 * reach it; the CLI reads it. Its own module so that the CLI need not load the server to find it.
 */
import path from 'node:path';

/** What the running server writes for the CLI: where to reach it and the token it accepts. */
export interface AdminFile {
  url: string;
  token: string;
  pid: number;
}

export function adminFilePath(dataDir: string): string {
  return path.join(dataDir, 'admin.json');
}
