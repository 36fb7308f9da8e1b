-- Write-back per mapping: the highest journal LSN of each mapping's rows committed, per node, so
-- that one mapping's rows can flow while another's are paused. A row of mapping m at LSN l is
-- committed when l <= max(sluice.applied.lsn, sluice.applied_mapping.lsn for m); Sluice updates
-- both in the transaction of the rows.
CREATE TABLE sluice.applied_mapping (
  node    text NOT NULL,
  mapping text NOT NULL,
  lsn     bigint NOT NULL CHECK (lsn >= 0),
  PRIMARY KEY (node, mapping)
);
COMMENT ON TABLE sluice.applied_mapping IS
  'Per Sluice node and append mapping, the highest journal LSN of its rows committed.';

-- Write-back figures, upserted by every running Sluice about once a second; read them through the
-- view sluice.status.
CREATE TABLE sluice.status_data (
  node                text NOT NULL,
  mapping             text NOT NULL,
  state               text NOT NULL,
  throttle_rows_per_second integer,
  pending_rows        bigint NOT NULL,
  pending_bytes       bigint NOT NULL,
  oldest_pending_ms   bigint NOT NULL,
  rows_per_second     double precision NOT NULL,
  rows_written        bigint NOT NULL,
  last_flush_at       timestamptz,
  dead_letters        bigint NOT NULL,
  retries             bigint NOT NULL,
  last_error          text,
  updated_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (node, mapping)
);
COMMENT ON TABLE sluice.status_data IS
  'Write-back figures per node and mapping, refreshed by Sluice every second; see view sluice.status.';

CREATE VIEW sluice.status AS
SELECT node, mapping, state, throttle_rows_per_second, pending_rows, pending_bytes,
       oldest_pending_ms, rows_per_second, rows_written, last_flush_at, dead_letters, retries,
       last_error, updated_at,
       updated_at < now() - interval '5 seconds' AS stale
FROM sluice.status_data;
COMMENT ON VIEW sluice.status IS
  'Write-back per node and mapping: state (running, paused, throttled), backlog, rate, last flush, dead letters; stale when that Sluice stopped reporting.';
