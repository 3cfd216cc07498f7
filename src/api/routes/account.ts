/**
 * `GET /v1/account` and `GET /v1/usage`: what a key's own account can read about itself. Both take
 * a token from the key's rate limit like every authenticated route.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../../config/index.ts';
import { invalidParam } from '../../domain/errors.ts';
import type { Services } from '../../domain/services.ts';
import type { PublicUrls } from '../../storage/public-urls.ts';
import { USAGE_PAGE, accountSchema, usageQuery, usageSchema, type AccountData, type UsageData } from '../account-schemas.ts';
import type { KeyRateLimit } from '../rate-limit.ts';
import { authenticateHook } from './generation.ts';
import { JOBS_PREFIX } from './jobs.ts';

export function accountRoutes(app: FastifyInstance, deps: { services: Services; rateLimiter: KeyRateLimit; config: Config; urls: PublicUrls }) {
  const { services, rateLimiter, config, urls } = deps;
  const onRequest = authenticateHook(services, rateLimiter);
  // The zod schema validates the query (a clear 10004 naming the field), not Fastify's validator.
  const noValidation = { validatorCompiler: () => () => true };

  app.get(`${JOBS_PREFIX}/account`, { onRequest, schema: accountSchema }, async (request: FastifyRequest) => {
    const { userId, keyId, signingSecret, limits } = request.fitroom.auth!;
    const user = await services.account.user(userId);
    const signing = signingSecret === null ? 'account' : 'key';
    const data: AccountData = {
      userId: user.id,
      email: user.email,
      credits: user.balance,
      reservedCredits: user.reserved,
      availableCredits: user.balance - user.reserved,
      trialCallsLeft: user.trialRemaining,
      costs: { tryon: config.costTryon, prompt: config.costPrompt },
      rateLimit: await rateLimiter.peek(keyId, limits),
      maxCallsInProgress: limits.inProgress ?? config.maxJobsPerKey,
      webhookSigning: signing,
      webhookSecret: signing === 'account' ? await services.webhookSecrets.forAccount(userId) : null,
    };
    return { code: 200, msg: 'OK', data };
  });

  app.get(`${JOBS_PREFIX}/usage`, { onRequest, schema: usageSchema, ...noValidation }, async (request: FastifyRequest) => {
    const parsed = usageQuery.safeParse(request.query);
    if (!parsed.success) {
      const field = String(parsed.error.issues[0].path[0] ?? 'query');
      const raw = (request.query as Record<string, unknown>)[field];
      throw invalidParam(field, field === 'limit' ? `an integer from 1 to ${USAGE_PAGE.max}` : 'the nextCursor of an earlier page', JSON.stringify(String(raw).slice(0, 40)));
    }
    const page = await services.account.usage(request.fitroom.auth!.userId, parsed.data);
    const fileUrl = (key: string | null) => (key === null ? null : urls.fileUrl(key));
    const data: UsageData = {
      items: page.items.map(({ resultKey, maskKey, ...item }) => ({ ...item, resultImgUrl: fileUrl(resultKey), maskImgUrl: fileUrl(maskKey) })),
      nextCursor: page.nextCursor,
    };
    return { code: 200, msg: 'OK', data };
  });
}
