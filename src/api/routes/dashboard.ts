/**
 * The dashboard's server side: the web app itself (web/dist, built by `npm run build:web`, served
 * at /dashboard with `/` leading there) and its JSON routes under /dashboard/api, authenticated by a
 * session cookie instead of an API key. The try-on studio calls the public API itself with one of
 * the user's API keys, exactly as a customer's code would.
 *
 * Cookies are HttpOnly and SameSite=Lax, and Secure when the server is reached over TLS (or its
 * public URL is https). Every state-changing call with a session must send the session's CSRF
 * token in X-CSRF-Token; calls before a session exists (sign-up, log-in, password reset) must be
 * JSON from this origin. Log-in attempts are throttled (login-throttle.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash, timingSafeEqual } from 'node:crypto';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_TTL_MS, type Session } from '../../accounts/accounts.ts';
import { ConsoleService, USAGE_MAX_DAYS } from '../../accounts/console.ts';
import type { Config } from '../../config/index.ts';
import type { Database } from '../../db/database.ts';
import { ApiError, invalidParam } from '../../domain/errors.ts';
import { isId } from '../../domain/ids.ts';
import type { PresetKind } from '../../domain/presets.ts';
import type { Services } from '../../domain/services.ts';
import type { User } from '../../domain/users.ts';
import { engineInfo } from '../../engine/registry.ts';
import type { Admission } from '../../queue/admission.ts';
import type { JobQueue } from '../../queue/types.ts';
import type { PublicUrls } from '../../storage/public-urls.ts';
import { LoginThrottle, type LoginAttempts } from '../login-throttle.ts';
import { API1_PATH, API2_PATH } from './generation.ts';
import { JOBS_PREFIX } from './jobs.ts';

export const DASHBOARD_PATH = '/dashboard';
export const SESSION_COOKIE = 'fitroom_session';
/** Where `npm run build:web` writes the web app. */
export const WEB_DIST_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web/dist');
/** Window of the admin page's error rate, minutes. */
const ERROR_RATE_WINDOW_MINUTES = 60;
/** Largest preset upload through the dashboard (base64 in JSON: 4/3 of the 20 MB image limit, and some). */
const PRESET_BODY_LIMIT_BYTES = 28 * 1024 * 1024;

export interface DashboardDeps {
  config: Config;
  db: Database;
  services: Services;
  queue: JobQueue;
  admission: Admission;
  urls: PublicUrls;
  engineState: () => 'ready' | 'loading' | 'failed';
  /** Default: counts in this process's memory (one API process); scale-out nodes share theirs in Redis. */
  loginAttempts?: LoginAttempts;
  /** Default: web/dist of this checkout. Tests point it elsewhere. */
  webDistDir?: string;
}

function readCookie(request: FastifyRequest, name: string): string | null {
  const header = request.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

function publicUser(user: User) {
  return {
    id: user.id,
    email: user.email,
    isAdmin: user.isAdmin,
    balance: user.balance,
    reserved: user.reserved,
    trialRemaining: user.trialRemaining,
    everHeldCredits: user.everHeldCredits,
  };
}

const ok = <T>(data: T) => ({ code: 200, msg: 'OK', data });

export function dashboardRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  const { config, db, services } = deps;
  const accounts = services.accounts;
  const consoleService = new ConsoleService({ db, keys: services.keys, users: services.users, credits: services.credits });
  const throttle = deps.loginAttempts ?? new LoginThrottle();
  const sessions = new WeakMap<FastifyRequest, Session>();
  const secureCookies = config.publicUrl?.startsWith('https://') ?? false;

  const setSessionCookie = (request: FastifyRequest, reply: FastifyReply, value: string, maxAgeSeconds: number) => {
    const secure = secureCookies || request.protocol === 'https';
    reply.header(
      'set-cookie',
      `${SESSION_COOKIE}=${value}; Path=/dashboard; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`,
    );
  };

  /** Calls that change state before a session exists: JSON from this very origin only. */
  const sameOriginJson = async (request: FastifyRequest) => {
    const type = request.headers['content-type'] ?? '';
    if (!/^application\/json\b/i.test(type)) throw new ApiError('INVALID_PARAM', 'body: expected application/json', { status: 415 });
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== 'null') {
      let host = '';
      try {
        host = new URL(origin).host;
      } catch {
        // unparsable: refused below
      }
      if (host !== request.headers.host) throw new ApiError('INVALID_PARAM', 'csrf: cross-origin request refused', { status: 403 });
    } else if (origin === 'null') {
      throw new ApiError('INVALID_PARAM', 'csrf: cross-origin request refused', { status: 403 });
    }
  };

  /** Resolves the session cookie; 10001 without a live session. State-changing methods also need the CSRF token. */
  const requireSession = async (request: FastifyRequest) => {
    const token = readCookie(request, SESSION_COOKIE);
    const session = token ? await accounts.resolveSession(token) : null;
    if (!session) throw new ApiError('NOT_LOGIN', 'not signed in, or the session has ended');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !sameSecret(sent, session.csrfToken)) {
        throw new ApiError('INVALID_PARAM', 'csrf: missing or wrong X-CSRF-Token header', { status: 403 });
      }
    }
    sessions.set(request, session);
  };
  const requireAdmin = async (request: FastifyRequest) => {
    await requireSession(request);
    if (!sessions.get(request)!.user.isAdmin) throw new ApiError('INVALID_PARAM', 'admin: operators only', { status: 403 });
  };
  const sessionOf = (request: FastifyRequest) => sessions.get(request)!;
  const body = (request: FastifyRequest) => (request.body ?? {}) as Record<string, unknown>;
  const userIdParam = (request: FastifyRequest) => {
    const id = (request.params as { id: string }).id;
    if (!isId('usr', id)) throw invalidParam('id', 'a user id usr_...');
    return id;
  };
  const hide = { schema: { hide: true } };

  // ---- session ----
  app.get('/dashboard/api/session', hide, async (request) => {
    const token = readCookie(request, SESSION_COOKIE);
    const session = token ? await accounts.resolveSession(token) : null;
    return ok({
      user: session ? publicUser(session.user) : null,
      csrfToken: session?.csrfToken ?? null,
      signup: accounts.signupMode,
      costs: { tryon: config.costTryon, prompt: config.costPrompt },
      apiBase: deps.urls.base(),
      paths: { tryon: API1_PATH, prompt: API2_PATH },
      // The studio runs its calls as async jobs, to show their progress and offer category auto.
      jobPaths: { tryon: `${JOBS_PREFIX}/tryon`, prompt: `${JOBS_PREFIX}/prompt` },
    });
  });

  const startSession = async (request: FastifyRequest, reply: FastifyReply, user: User) => {
    const session = await accounts.createSession(user.id);
    setSessionCookie(request, reply, session.token, Math.floor(SESSION_TTL_MS / 1000));
    return ok({ user: publicUser(user), csrfToken: session.csrfToken });
  };

  app.post('/dashboard/api/signup', { ...hide, onRequest: sameOriginJson }, async (request, reply) => {
    const b = body(request);
    const user = await accounts.signUp({ email: b.email, password: b.password, inviteToken: b.inviteToken });
    request.log.info({ userId: user.id }, 'dashboard sign-up');
    return startSession(request, reply, user);
  });

  app.post('/dashboard/api/login', { ...hide, onRequest: sameOriginJson }, async (request, reply) => {
    const b = body(request);
    const email = typeof b.email === 'string' ? b.email.trim().toLowerCase() : '';
    const address = request.ip;
    const wait = await throttle.retryAfterSeconds(email, address);
    if (wait > 0) {
      throw new ApiError('TOO_MANY_REQUESTS', `too many wrong passwords; try again in ${wait} s`, { headers: { 'retry-after': String(wait) } });
    }
    const user = await accounts.verifyLogin(b.email, b.password);
    if (!user) {
      await throttle.recordFailure(email, address);
      throw new ApiError('NOT_LOGIN', 'wrong email or password');
    }
    await throttle.recordSuccess(email);
    return startSession(request, reply, user);
  });

  app.post('/dashboard/api/logout', { ...hide, onRequest: requireSession }, async (request, reply) => {
    const token = readCookie(request, SESSION_COOKIE);
    if (token) await accounts.endSession(token);
    setSessionCookie(request, reply, '', 0);
    return ok({ signedOut: true });
  });

  app.post('/dashboard/api/password-reset', { ...hide, onRequest: sameOriginJson }, async (request, reply) => {
    const b = body(request);
    const user = await accounts.resetPassword(b.token, b.password);
    return startSession(request, reply, user);
  });

  // ---- the signed-in user's own things ----
  app.get('/dashboard/api/me', { ...hide, onRequest: requireSession }, async (request) => ok(publicUser(sessionOf(request).user)));

  app.get('/dashboard/api/keys', { ...hide, onRequest: requireSession }, async (request) => ok(await consoleService.listKeys(sessionOf(request).user.id)));

  app.post('/dashboard/api/keys', { ...hide, onRequest: requireSession }, async (request) => {
    const b = body(request);
    return ok(await consoleService.createKey(sessionOf(request).user.id, b.name, b.signing));
  });

  app.post('/dashboard/api/keys/:id/revoke', { ...hide, onRequest: requireSession }, async (request) => {
    const id = (request.params as { id: string }).id;
    await consoleService.revokeKey(sessionOf(request).user.id, id);
    return ok({ id, revoked: true });
  });

  app.get('/dashboard/api/credits', { ...hide, onRequest: requireSession }, async (request) => {
    const user = sessionOf(request).user;
    return ok({ ...publicUser(user), ledger: await consoleService.ledger(user.id) });
  });

  app.get('/dashboard/api/usage', { ...hide, onRequest: requireSession }, async (request) => {
    const q = request.query as Record<string, string | undefined>;
    const days = q.days === undefined ? 30 : Number(q.days);
    if (!Number.isInteger(days) || days < 1 || days > USAGE_MAX_DAYS) throw invalidParam('days', `a whole number 1..${USAGE_MAX_DAYS}`, JSON.stringify(q.days));
    if (q.outcome !== undefined && q.outcome !== 'ok' && q.outcome !== 'failed' && q.outcome !== '') throw invalidParam('outcome', 'ok or failed', JSON.stringify(q.outcome));
    const route = q.route === undefined || q.route === '' ? undefined : q.route.slice(0, 200);
    const keyId = q.keyId === undefined || q.keyId === '' ? undefined : q.keyId.slice(0, 40);
    const outcome = q.outcome === 'ok' || q.outcome === 'failed' ? q.outcome : undefined;
    const usage = await consoleService.usage(sessionOf(request).user.id, { days, route, keyId, outcome });
    // Thumbnails: the result image's URL (it may since have been deleted by retention or DELETE; the page then shows none).
    const calls = usage.calls.map(({ resultKey, ...call }) => ({ ...call, resultImgUrl: resultKey === null ? null : deps.urls.fileUrl(resultKey) }));
    return ok({ ...usage, calls });
  });

  app.get('/dashboard/api/presets', { ...hide, onRequest: requireSession }, async () => ok(await services.presets.list()));

  // The studio follows its jobs here (as GET /v1/jobs/{jobId} shows them): polls through the session
  // are not API calls, so they take no rate-limit token and add no usage rows.
  app.get('/dashboard/api/jobs/:id', { ...hide, onRequest: requireSession }, async (request) => {
    const id = (request.params as { id: string }).id;
    return ok(await services.jobs.get(sessionOf(request).user.id, id));
  });

  // ---- operators ----
  app.get('/dashboard/api/admin/users', { ...hide, onRequest: requireAdmin }, async (request) => {
    const q = (request.query as { q?: string }).q ?? '';
    return ok(await consoleService.searchUsers(q.slice(0, 254)));
  });

  app.post('/dashboard/api/admin/users/:id/credits', { ...hide, onRequest: requireAdmin }, async (request) => {
    const balance = await consoleService.grant(userIdParam(request), body(request).amount, sessionOf(request).user.email);
    return ok({ balance });
  });

  app.post('/dashboard/api/admin/users/:id/status', { ...hide, onRequest: requireAdmin }, async (request) => {
    const status = body(request).status;
    if (status !== 'active' && status !== 'disabled') throw invalidParam('status', 'active or disabled', JSON.stringify(status));
    const id = userIdParam(request);
    if (id === sessionOf(request).user.id) throw new ApiError('INVALID_PARAM', 'status: you cannot disable your own account');
    await consoleService.setStatus(id, status);
    return ok({ id, status });
  });

  // The user's own per-key limits, as `fitroom users limits` sets them: body {perMinute, burst,
  // inProgress}, each a whole number or null (the configured default); fields left out are kept.
  app.post('/dashboard/api/admin/users/:id/limits', { ...hide, onRequest: requireAdmin }, async (request) => {
    const user = await services.users.getById(userIdParam(request));
    if (!user) throw new ApiError('INVALID_PARAM', 'id: no such user', { status: 404 });
    return ok(await services.users.setLimits(user.email, body(request)));
  });

  app.post('/dashboard/api/admin/invites', { ...hide, onRequest: requireAdmin }, async (request) => {
    const email = body(request).email;
    if (typeof email !== 'string') throw invalidParam('email', 'an email address');
    const invite = await accounts.createInvite(email, sessionOf(request).user.id);
    return ok({ ...invite, url: `${deps.urls.base()}/dashboard/signup?invite=${encodeURIComponent(invite.token)}&email=${encodeURIComponent(invite.email)}` });
  });

  app.post('/dashboard/api/admin/presets', { ...hide, bodyLimit: PRESET_BODY_LIMIT_BYTES, onRequest: requireAdmin }, async (request) => {
    const b = body(request);
    if (b.kind !== 'model' && b.kind !== 'garment') throw invalidParam('kind', 'model or garment', JSON.stringify(b.kind));
    if (typeof b.image !== 'string' || b.image === '') throw invalidParam('image', 'the image as base64 or a data URI');
    const base64 = b.image.replace(/^data:[^,]*;base64,/, '');
    const preset = await services.presets.add(b.kind as PresetKind, Buffer.from(base64, 'base64'));
    return ok({ id: preset.id, kind: preset.kind, url: preset.url });
  });

  app.delete('/dashboard/api/admin/presets/:id', { ...hide, onRequest: requireAdmin }, async (request) => {
    const id = (request.params as { id: string }).id;
    if (!isId('pre', id) || !(await services.presets.remove(id))) throw new ApiError('INVALID_PARAM', `preset: no preset with id ${id.slice(0, 40)}`, { status: 404 });
    return ok({ id, removed: true });
  });

  app.get('/dashboard/api/admin/status', { ...hide, onRequest: requireAdmin }, async () => {
    const engine = engineInfo(config.engine);
    return ok({
      engine: { ...engine, state: deps.engineState() },
      workers: config.workers,
      queue: { waitingForWorker: deps.queue.depth(), inWorkers: deps.queue.running(), admitted: deps.admission.running(), waitingForSlot: deps.admission.waiting(), maxQueued: config.maxQueued },
      uptimeSeconds: Math.round(process.uptime()),
      database: await services.schemaVersion().then((version) => ({ schemaVersion: version })),
      recent: await consoleService.recentErrorRate(ERROR_RATE_WINDOW_MINUTES),
      signup: accounts.signupMode,
    });
  });

  app.all('/dashboard/api/*', hide, async (request) => {
    throw new ApiError('INVALID_PARAM', `route: no endpoint ${request.method} ${request.url.split('?')[0].slice(0, 100)}`, { status: 404 });
  });

  // ---- the web app ----
  app.get('/', hide, async (_request, reply) => reply.redirect(`${DASHBOARD_PATH}/`, 302));
  const dist = deps.webDistDir ?? WEB_DIST_DIR;
  // Built per answer: the public URL (where result images live) is known only once the server listens.
  const appCsp = () => [
    "default-src 'self'",
    "script-src 'self'",
    // React sets style attributes (the before/after slider's clip): inline styles, never inline scripts.
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob: ${new URL(deps.urls.base()).origin}`,
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join('; ');
  if (!fs.existsSync(path.join(dist, 'index.html'))) {
    app.get(`${DASHBOARD_PATH}*`, hide, async (_request, reply) =>
      reply.status(503).type('text/plain; charset=utf-8').send('The dashboard is not built: run `npm run build:web` (npm start does it).\n'),
    );
    return;
  }
  app.register(fastifyStatic, {
    root: dist,
    prefix: `${DASHBOARD_PATH}/`,
    wildcard: false,
    index: false,
    setHeaders(res, filePath) {
      // Vite names assets by content hash: cache them for a year; index.html always revalidates.
      const immutable = filePath.includes(`${path.sep}assets${path.sep}`);
      res.setHeader('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      res.setHeader('content-security-policy', appCsp());
    },
  });
  // Client-side routes (/dashboard/keys, ...) all load the app's one page.
  const page = async (_request: FastifyRequest, reply: FastifyReply) =>
    reply.header('content-security-policy', appCsp()).header('cache-control', 'no-cache').sendFile('index.html', dist);
  app.get(DASHBOARD_PATH, hide, page);
  app.get(`${DASHBOARD_PATH}/*`, hide, page);
}
