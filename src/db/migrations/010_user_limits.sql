-- Per-user overrides of the per-key limits (issue 10): calls a minute and burst of each key's token
-- bucket (src/api/rate-limit.ts) and the cap on each key's calls in progress
-- (src/domain/calls-per-key.ts). NULL: the configured default (FITROOM_RATE_LIMIT_PER_MINUTE,
-- FITROOM_RATE_LIMIT_BURST, FITROOM_MAX_JOBS_PER_KEY). Every key of the user gets them. Set with
-- `fitroom users limits EMAIL ...`.
ALTER TABLE users
  ADD COLUMN rate_limit_per_minute integer CHECK (rate_limit_per_minute >= 0),
  ADD COLUMN rate_limit_burst integer CHECK (rate_limit_burst >= 1),
  ADD COLUMN max_calls_in_progress integer CHECK (max_calls_in_progress >= 1);

-- Authenticated keys are memoised with their user's limits: a change drops the memos of every API
-- node sharing this database (src/cluster/memo-epoch.ts), as a change of status does (007).
CREATE TRIGGER users_limits_memo_epoch AFTER UPDATE OF rate_limit_per_minute, rate_limit_burst, max_calls_in_progress ON users
  FOR EACH STATEMENT EXECUTE FUNCTION bump_memo_epoch();
