/**
 * The CLI's door into a running server: `POST /admin/cli` runs one operator command on the
 * server's own database (PGlite allows one process per data dir). Loopback only, and only with the
 * random token the server wrote to DATA_DIR/admin.json (mode 0600) at start. Not in the OpenAPI doc.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { executeCommand, type CliCommand } from '../../cli/commands.ts';
import { ApiError } from '../../domain/errors.ts';
import type { Services } from '../../domain/services.ts';

export const ADMIN_CLI_PATH = '/admin/cli';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function sameToken(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

export function adminRoutes(app: FastifyInstance, deps: { services: Services; adminToken: string }) {
  app.post(
    ADMIN_CLI_PATH,
    { bodyLimit: 40 * 1024 * 1024, schema: { hide: true } },
    async (request) => {
      const auth = request.headers.authorization ?? '';
      const token = /^bearer\s+(\S+)$/i.exec(auth)?.[1] ?? '';
      const remote = request.socket.remoteAddress ?? '';
      // Same machine: loopback, or our own address when the server is bound to a specific one.
      const local = LOOPBACK.has(remote) || remote === request.socket.localAddress;
      if (!local || !sameToken(token, deps.adminToken)) {
        throw new ApiError('INVALID_API_KEY', 'admin token required');
      }
      const body = request.body as { command?: CliCommand } | undefined;
      if (!body || typeof body.command !== 'object' || body.command === null) throw new ApiError('INVALID_PARAM', 'command: missing');
      return { code: 200, msg: 'OK', data: await executeCommand(body.command, deps.services) };
    },
  );
}
