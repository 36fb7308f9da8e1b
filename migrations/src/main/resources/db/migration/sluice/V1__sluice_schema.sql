-- Sluice's own schema. Everything Sluice keeps in PostgreSQL lives in schema `sluice` (Flyway's
-- history table too, as sluice.flyway_schema_history); no migration touches another schema.
-- The schema itself is created by Flyway (createSchemas) before this script runs.

-- Durable generic keys (`store: kv` mappings): one row per Redis key, its type and its value
-- serialised by Sluice.
CREATE TABLE sluice.kv (
  key       bytea PRIMARY KEY,
  type      text NOT NULL,
  value     bytea NOT NULL,
  expire_at timestamptz
);
CREATE INDEX kv_expire_at ON sluice.kv (expire_at) WHERE expire_at IS NOT NULL;
COMMENT ON TABLE sluice.kv IS
  'Durable keys of store: kv mappings: Redis key, Redis type, value serialised by Sluice, expiry.';

-- Exactly-once bookkeeping of write-back: the highest journal LSN whose rows are committed, per
-- Sluice node. Updated in the same transaction as the rows it covers.
CREATE TABLE sluice.applied (
  node text PRIMARY KEY,
  lsn  bigint NOT NULL CHECK (lsn >= 0)
);
COMMENT ON TABLE sluice.applied IS
  'Per Sluice node, the highest journal LSN whose rows are committed (same transaction as the rows).';

-- Rows PostgreSQL refused at flush (constraint violations), with the error, kept for a human.
CREATE TABLE sluice.dead_letter (
  id         bigserial PRIMARY KEY,
  mapping    text NOT NULL,
  lsn        bigint NOT NULL,
  payload    jsonb NOT NULL,
  error      text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dead_letter_mapping_created ON sluice.dead_letter (mapping, created_at);
COMMENT ON TABLE sluice.dead_letter IS
  'Rows refused at flush: the mapping, the journal LSN, the row as JSON (column -> value) and the error.';

-- The DBA's gate, one row per mapping that was ever paused, resumed, throttled or flushed.
-- Sluice reads it at start-up and on every NOTIFY on channel sluice_control.
CREATE TABLE sluice.control (
  mapping                  text PRIMARY KEY CHECK (mapping <> ''),
  paused                   boolean NOT NULL DEFAULT false,
  throttle_rows_per_second integer CHECK (throttle_rows_per_second > 0),
  flush_requested_at       timestamptz,
  updated_at               timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE sluice.control IS
  'Flow control of write-back per mapping: paused, rows per second (NULL: unlimited), last flush request.';
COMMENT ON COLUMN sluice.control.throttle_rows_per_second IS 'NULL means no limit.';

-- Control functions: each updates sluice.control and notifies channel `sluice_control` with a
-- JSON payload {"mapping": …, "action": pause|resume|throttle|flush, …}. The notification is sent
-- when the caller's transaction commits; listeners should re-read sluice.control (a notification
-- may be missed while a listener reconnects). Each returns the mapping's control row.

CREATE FUNCTION sluice.pause(mapping text) RETURNS sluice.control
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  result sluice.control;
BEGIN
  IF mapping IS NULL OR mapping = '' THEN
    RAISE EXCEPTION 'sluice.pause: mapping must name a mapping';
  END IF;
  INSERT INTO sluice.control AS c (mapping, paused, updated_at)
  VALUES (pause.mapping, true, now())
  ON CONFLICT ON CONSTRAINT control_pkey
  DO UPDATE SET paused = true, updated_at = now()
  RETURNING c.* INTO result;
  PERFORM pg_notify('sluice_control',
                    json_build_object('mapping', pause.mapping, 'action', 'pause')::text);
  RETURN result;
END
$$;

CREATE FUNCTION sluice.resume(mapping text) RETURNS sluice.control
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  result sluice.control;
BEGIN
  IF mapping IS NULL OR mapping = '' THEN
    RAISE EXCEPTION 'sluice.resume: mapping must name a mapping';
  END IF;
  INSERT INTO sluice.control AS c (mapping, paused, updated_at)
  VALUES (resume.mapping, false, now())
  ON CONFLICT ON CONSTRAINT control_pkey
  DO UPDATE SET paused = false, updated_at = now()
  RETURNING c.* INTO result;
  PERFORM pg_notify('sluice_control',
                    json_build_object('mapping', resume.mapping, 'action', 'resume')::text);
  RETURN result;
END
$$;

-- rows > 0 limits the mapping's flush rate to that many rows per second; 0 or NULL removes it.
CREATE FUNCTION sluice.throttle(mapping text, rows integer) RETURNS sluice.control
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  result sluice.control;
  limit_ integer := NULLIF(rows, 0);
BEGIN
  IF mapping IS NULL OR mapping = '' THEN
    RAISE EXCEPTION 'sluice.throttle: mapping must name a mapping';
  END IF;
  IF rows < 0 THEN
    RAISE EXCEPTION 'sluice.throttle: rows must be a number of rows per second, or 0 for no limit; got %', rows;
  END IF;
  INSERT INTO sluice.control AS c (mapping, throttle_rows_per_second, updated_at)
  VALUES (throttle.mapping, limit_, now())
  ON CONFLICT ON CONSTRAINT control_pkey
  DO UPDATE SET throttle_rows_per_second = limit_, updated_at = now()
  RETURNING c.* INTO result;
  PERFORM pg_notify('sluice_control',
                    json_build_object('mapping', throttle.mapping, 'action', 'throttle',
                                      'rows_per_second', limit_)::text);
  RETURN result;
END
$$;

-- Asks Sluice to flush the mapping's journaled rows now, whatever its batching would wait for.
CREATE FUNCTION sluice.flush(mapping text) RETURNS sluice.control
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  result sluice.control;
BEGIN
  IF mapping IS NULL OR mapping = '' THEN
    RAISE EXCEPTION 'sluice.flush: mapping must name a mapping';
  END IF;
  INSERT INTO sluice.control AS c (mapping, flush_requested_at, updated_at)
  VALUES (flush.mapping, now(), now())
  ON CONFLICT ON CONSTRAINT control_pkey
  DO UPDATE SET flush_requested_at = now(), updated_at = now()
  RETURNING c.* INTO result;
  PERFORM pg_notify('sluice_control',
                    json_build_object('mapping', flush.mapping, 'action', 'flush')::text);
  RETURN result;
END
$$;
