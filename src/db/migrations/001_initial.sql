-- Fitroom schema, version 1. Plain PostgreSQL (runs on PGlite and on a PostgreSQL 15 server).

CREATE TABLE users (
  id                 text PRIMARY KEY,
  email              text NOT NULL UNIQUE,
  status             text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  is_admin           boolean NOT NULL DEFAULT false,
  -- Settled credit balance; always equals the sum of this user's credit_ledger amounts.
  balance            bigint NOT NULL DEFAULT 0 CHECK (balance >= 0),
  -- Credits held by calls in flight (see reservations); available = balance - reserved.
  reserved           bigint NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  -- Free calls left; a trial reservation takes one at once and gives it back on failure.
  trial_remaining    integer NOT NULL DEFAULT 0 CHECK (trial_remaining >= 0),
  -- Set by the first grant: from then on a short balance means 10003, never a trial call.
  ever_held_credits  boolean NOT NULL DEFAULT false,
  created_at         timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
  id              text PRIMARY KEY,
  user_id         text NOT NULL REFERENCES users (id),
  -- sha256 hex of the full key; the key itself is never stored.
  key_hash        text NOT NULL UNIQUE,
  -- First characters of the key, for display ("fr_AbCdEfG…").
  prefix          text NOT NULL,
  -- HMAC secret when the key requires signed requests, else NULL.
  signing_secret  text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  revoked_at      timestamptz,
  last_used_at    timestamptz
);
CREATE INDEX api_keys_user_idx ON api_keys (user_id);

-- Append-only: every change of balance, naming the request (or the operator action) behind it.
CREATE TABLE credit_ledger (
  id          bigserial PRIMARY KEY,
  user_id     text NOT NULL REFERENCES users (id),
  kind        text NOT NULL CHECK (kind IN ('grant', 'charge', 'refund', 'trial')),
  -- Signed change of balance: grants and refunds positive, charges negative, trial calls 0.
  amount      bigint NOT NULL,
  request_id  text,
  note        text,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX credit_ledger_user_idx ON credit_ledger (user_id);

-- One row per call that reserved its cost; settled as charged or released.
CREATE TABLE reservations (
  request_id  text PRIMARY KEY,
  user_id     text NOT NULL REFERENCES users (id),
  kind        text NOT NULL CHECK (kind IN ('credits', 'trial', 'free')),
  amount      bigint NOT NULL,
  status      text NOT NULL DEFAULT 'held' CHECK (status IN ('held', 'charged', 'released')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  settled_at  timestamptz
);
CREATE INDEX reservations_held_idx ON reservations (status) WHERE status = 'held';

-- Usage: one row per API call, successful or not.
CREATE TABLE requests (
  id           text PRIMARY KEY,
  user_id      text,
  key_id       text,
  route        text NOT NULL,
  status_code  integer NOT NULL,
  -- The contract's code (200 on success).
  code         integer NOT NULL,
  engine_ms    integer,
  total_ms     integer,
  cache_hit    boolean NOT NULL DEFAULT false,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX requests_user_idx ON requests (user_id, created_at);

CREATE TABLE presets (
  id          text PRIMARY KEY,
  kind        text NOT NULL CHECK (kind IN ('model', 'garment')),
  -- Content hash of the decoded pixels (the result-cache key uses it).
  sha256      text NOT NULL,
  object_key  text NOT NULL,
  width       integer NOT NULL,
  height      integer NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (kind, sha256)
);

CREATE TABLE result_cache (
  cache_key   text PRIMARY KEY,
  result_key  text NOT NULL,
  mask_key    text NOT NULL,
  seed        bigint,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Signatures seen within the replay window, per key.
CREATE TABLE seen_signatures (
  key_id     text NOT NULL,
  signature  text NOT NULL,
  seen_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (key_id, signature)
);
CREATE INDEX seen_signatures_time_idx ON seen_signatures (seen_at);
