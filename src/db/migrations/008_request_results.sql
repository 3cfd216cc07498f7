-- The result image a successful call made or was served (its object key), for the dashboard's
-- usage thumbnails. Written with the charge; null for failures, free cache hits and older rows.
ALTER TABLE requests ADD COLUMN result_key text;
