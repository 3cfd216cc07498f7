-- Async jobs (/v1): an API 1 or API 2 call run in the background. The job's id is also the
-- request id of its credit reservation, so the ledger entries of a job name it.

CREATE TABLE jobs (
  id           text PRIMARY KEY,
  user_id      text NOT NULL REFERENCES users (id),
  kind         text NOT NULL CHECK (kind IN ('tryon', 'prompt')),
  status       text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  -- The success data of the synchronous API (resultImgUrl, ...), once succeeded.
  result       jsonb,
  -- The error envelope {code, msg} the synchronous API would have answered, once failed.
  error        jsonb,
  -- A cancelled job whose work had been charged gets the charge back (once).
  refunded     boolean NOT NULL DEFAULT false,
  created_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz
);
CREATE INDEX jobs_user_idx ON jobs (user_id, created_at);
CREATE INDEX jobs_unfinished_idx ON jobs (status) WHERE status IN ('queued', 'running');
