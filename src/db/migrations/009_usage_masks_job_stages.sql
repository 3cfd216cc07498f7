-- The mask image a successful call made or was served (its object key), beside result_key (008), so
-- GET /v1/usage can give both URLs. Both are cleared when the images are deleted (retention, DELETE
-- of a job: src/retention/job-images.ts), found through this index.
ALTER TABLE requests ADD COLUMN mask_key text;
CREATE INDEX requests_result_key ON requests (result_key) WHERE result_key IS NOT NULL;

-- Where a running job's work is (GET /v1/jobs/{jobId} `progress`): queued, analysing, rendering or
-- saving, and which of its samples (1-based). Written by the node running the job, read by any.
ALTER TABLE jobs ADD COLUMN stage text, ADD COLUMN stage_sample integer;
