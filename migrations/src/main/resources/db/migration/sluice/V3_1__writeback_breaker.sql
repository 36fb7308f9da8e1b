-- The state of the flusher's circuit breaker (closed, open, half_open) beside the write-back
-- figures. Version 3.1 so that it sorts right after V3, whatever later versions other work adds.
ALTER TABLE sluice.status_data ADD COLUMN breaker text;

CREATE OR REPLACE VIEW sluice.status AS
SELECT node, mapping, state, throttle_rows_per_second, pending_rows, pending_bytes,
       oldest_pending_ms, rows_per_second, rows_written, last_flush_at, dead_letters, retries,
       last_error, updated_at,
       updated_at < now() - interval '5 seconds' AS stale,
       breaker
FROM sluice.status_data;
