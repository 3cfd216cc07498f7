-- Webhooks and retention for async jobs (/v1).

-- Where a job's end is POSTed (NULL: no webhook), the key that submitted it (its signing secret,
-- when it has one, signs the webhook), how many samples it asked for, and when its result expires.
ALTER TABLE jobs ADD COLUMN webhook_url text;
ALTER TABLE jobs ADD COLUMN key_id text;
ALTER TABLE jobs ADD COLUMN samples integer NOT NULL DEFAULT 1;
ALTER TABLE jobs ADD COLUMN expires_at timestamptz;
-- Stored objects (results, masks) the job's result points at: the retention sweeper deletes them.
ALTER TABLE jobs ADD COLUMN object_keys text[] NOT NULL DEFAULT '{}';
CREATE INDEX jobs_expires_idx ON jobs (expires_at) WHERE expires_at IS NOT NULL;

-- One webhook delivery per finished job with a webhook_url. A row, not a timer: a delivery that
-- is still pending when the process stops is picked up again by the next start.
CREATE TABLE webhook_deliveries (
  job_id           text PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
  url              text NOT NULL,
  -- The JSON body, fixed when the job ends, so every attempt sends (and signs) the same bytes.
  body             text NOT NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  -- When the next attempt is due (also the claim: an attempt in progress pushes it forward).
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  -- No attempt starts after this moment: the delivery is then failed.
  give_up_at       timestamptz NOT NULL,
  -- [{at, statusCode, error, ms}], oldest first: the delivery log shown on the job.
  attempts         jsonb NOT NULL DEFAULT '[]',
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';

-- A per-account secret that signs webhooks of jobs submitted with keys that have no signing
-- secret; sealed at rest like signing secrets (bound to the user's id). Created on first use.
ALTER TABLE users ADD COLUMN webhook_secret text;
