-- DELETE /v1/jobs/{id} on a finished job deletes its images at once and keeps the job (status,
-- error, timings, webhook log) until it expires: when that happened, NULL while the images exist.
ALTER TABLE jobs ADD COLUMN images_deleted_at timestamptz;
