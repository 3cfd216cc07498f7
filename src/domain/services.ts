/**
 * Wires the domain services together from their dependencies. The server builds all of them; the
 * CLI (when no server is running) builds the same ones without a queue.
 */
import type { Config } from '../config/index.ts';
import { LIMITS } from '../config/limits.ts';
import type { Database } from '../db/database.ts';
import { schemaVersion } from '../db/migrate.ts';
import { DEFAULT_IMAGE_LIMITS, inspectImageInput, resolveImageInput } from '../imaging/input.ts';
import { createImageFetcher, DEFAULT_FETCH_LIMITS, type ImageFetcher } from '../net/image-fetcher.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import type { PublicUrls } from '../storage/public-urls.ts';
import { AccountService } from '../accounts/accounts.ts';
import { AccountService as AccountSummaryService } from './account.ts';
import { ResultCache } from './cache.ts';
import { CreditService } from './credits.ts';
import type { InspectImage } from './generation.ts';
import { JobService } from './jobs.ts';
import { KeyService } from './keys.ts';
import { PresetService } from './presets.ts';
import { SecretBox } from './secrets.ts';
import { UserService } from './users.ts';
import { WebhookSecrets } from '../webhooks/secrets.ts';
import { JobImages } from '../retention/job-images.ts';
import { MemoEpoch } from '../cluster/memo-epoch.ts';

export interface Services {
  users: UserService;
  keys: KeyService;
  credits: CreditService;
  presets: PresetService;
  cache: ResultCache;
  jobs: JobService;
  /** Dashboard accounts: passwords, sessions, reset tokens, invitations. */
  accounts: AccountService;
  /** The secrets that sign job webhooks (the key's signing secret, or the account's webhook secret). */
  webhookSecrets: WebhookSecrets;
  account: AccountSummaryService;
  /** The image-input module bound to this server's fetcher and limits (decoding left for after admission). */
  inspectImage: InspectImage;
  /** The database's migration version (opening the database applied every migration). */
  schemaVersion(): Promise<number>;
}

export function createServices(deps: {
  config: Config;
  db: Database;
  store: ObjectStore;
  urls: PublicUrls;
  /** Default: the SSRF-safe fetcher configured from `config`. Tests pass one with a fake resolver. */
  fetcher?: ImageFetcher;
  /** Where an async job's unexpected failure is logged (the job itself records a plain 500). */
  onJobError?: (err: unknown, jobId: string) => void;
}): Services {
  const { config, db, store, urls } = deps;
  // On a shared PostgreSQL server (DATABASE_URL: several API nodes, a CLI) another process can
  // delete a job's images (DELETE, retention), revoke a key, disable a user or remove a preset at
  // any moment: the memos of keys, presets and cache entries are checked against the database's
  // change counter at the start of every call (src/cluster/memo-epoch.ts). The embedded PGlite
  // database belongs to this one process, which forgets its memos itself when it changes them.
  const epoch = config.scaleout.databaseUrl !== undefined ? new MemoEpoch(db) : undefined;
  const fetcher =
    deps.fetcher ??
    createImageFetcher({ allowPrivate: config.allowPrivateUrls, ...DEFAULT_FETCH_LIMITS });
  const inspectImage: InspectImage = (field, value) => inspectImageInput(field, value, { fetcher, limits: DEFAULT_IMAGE_LIMITS });
  const secrets = SecretBox.open({ dataDir: config.dataDir, configured: config.secretKey, previous: config.secretKeyPrevious });
  const keys = new KeyService(db, { signatureWindowSeconds: LIMITS.signatureWindowSeconds, secrets, epoch });
  const users = new UserService(db, {
    trialCalls: config.trialCalls,
    limitDefaults: { perMinute: config.rateLimitPerMinute, burst: config.rateLimitBurst, inProgress: config.maxJobsPerKey },
    onUserChanged: (id) => keys.forgetUser(id),
  });
  const credits = new CreditService(db);
  const cache = new ResultCache(db, { epoch });
  return {
    users,
    keys,
    credits,
    jobs: new JobService(db, credits, {
      onInternalError: deps.onJobError,
      retentionSeconds: config.jobRetentionSeconds,
      webhookGiveUpAfterMs: config.webhookGiveUpAfterMs,
      images: new JobImages({ db, store, cache }),
    }),
    webhookSecrets: new WebhookSecrets(db, secrets),
    account: new AccountSummaryService(db),
    presets: new PresetService({
      db,
      store,
      urls,
      epoch,
      decode: (field, bytes) => resolveImageInput(field, { kind: 'file', bytes }, { fetcher, limits: DEFAULT_IMAGE_LIMITS }),
    }),
    cache,
    accounts: new AccountService({ db, users, signupMode: config.signupMode }),
    inspectImage,
    schemaVersion: () => schemaVersion(db),
  };
}
