-- A counter that API nodes sharing one PostgreSQL server read once per call (src/cluster/memo-epoch.ts).
-- Every change that can make a node's in-memory memo wrong bumps it in the same transaction: a
-- result-cache entry deleted (its images are going: DELETE of a job, retention), a preset removed,
-- a key revoked or its signing secret re-sealed, a user disabled, enabled or deleted. A node whose
-- memo predates the change sees a new value on its next call and drops its memos. Statement-level
-- triggers: one bump per statement, however many rows; charges (users.balance) and key use
-- (api_keys.last_used_at) touch other columns and never bump it.
CREATE TABLE memo_epoch (
  id integer PRIMARY KEY CHECK (id = 1),
  value bigint NOT NULL
);
INSERT INTO memo_epoch (id, value) VALUES (1, 0);

-- On one line: src/db/migrate.ts splits a file into statements at a `;` that ends a line.
CREATE FUNCTION bump_memo_epoch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE memo_epoch SET value = value + 1 WHERE id = 1; RETURN NULL; END $$;

CREATE TRIGGER result_cache_memo_epoch AFTER DELETE OR UPDATE ON result_cache
  FOR EACH STATEMENT EXECUTE FUNCTION bump_memo_epoch();
CREATE TRIGGER presets_memo_epoch AFTER DELETE OR UPDATE ON presets
  FOR EACH STATEMENT EXECUTE FUNCTION bump_memo_epoch();
CREATE TRIGGER api_keys_memo_epoch AFTER DELETE OR UPDATE OF revoked_at, signing_secret, key_hash, user_id ON api_keys
  FOR EACH STATEMENT EXECUTE FUNCTION bump_memo_epoch();
CREATE TRIGGER users_memo_epoch AFTER DELETE OR UPDATE OF status ON users
  FOR EACH STATEMENT EXECUTE FUNCTION bump_memo_epoch();
