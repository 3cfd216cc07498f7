-- Scale-out: processes sharing one PostgreSQL server (API nodes and engine workers) register
-- here and send a heartbeat; rows a process creates for calls in flight name it, so when it dies
-- another node can give its held credits back and fail its unfinished async jobs.

CREATE TABLE nodes (
  id text PRIMARY KEY,
  -- api, worker or all
  role text NOT NULL,
  started_at timestamptz NOT NULL DEFAULT now(),
  last_seen timestamptz NOT NULL DEFAULT now(),
  -- What the process reports about itself (a worker: engine id, version, models).
  info jsonb NOT NULL DEFAULT '{}'::jsonb
);

-- The node that made the row: each connection of a PostgreSQL-server process carries
-- fitroom.node_id (src/db/postgres.ts); on the embedded database it is unset, so NULL.
ALTER TABLE reservations ADD COLUMN node_id text DEFAULT current_setting('fitroom.node_id', true);
ALTER TABLE jobs ADD COLUMN node_id text DEFAULT current_setting('fitroom.node_id', true);
