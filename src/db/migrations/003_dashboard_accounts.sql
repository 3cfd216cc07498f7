-- Dashboard accounts: passwords, browser sessions, password-reset tokens, invitations, key names.
-- Tokens of every kind are stored only as their sha256, like API keys.

-- scrypt hash (`scrypt$N$r$p$salt$hash`, base64url); NULL: the user cannot log in until a reset.
ALTER TABLE users ADD COLUMN password_hash text;

-- A label the owner gives a key in the dashboard ("shop backend"); NULL for CLI-made keys.
ALTER TABLE api_keys ADD COLUMN name text;

CREATE TABLE sessions (
  -- sha256 hex of the cookie's token.
  token_hash    text PRIMARY KEY,
  user_id       text NOT NULL REFERENCES users (id),
  -- Sent back by the page in X-CSRF-Token on every state-changing call.
  csrf_token    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE password_resets (
  token_hash  text PRIMARY KEY,
  user_id     text NOT NULL REFERENCES users (id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz
);

CREATE TABLE invites (
  token_hash  text PRIMARY KEY,
  -- The address the invitation is for: sign-up with it must use this email.
  email       text NOT NULL,
  created_by  text REFERENCES users (id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz
);
