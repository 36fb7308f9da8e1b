-- Write-back of row mappings writes to tables that may carry Sluice's own invalidation triggers
-- (invalidate: notify). Sluice must not evict what it has just written from its own cache, but
-- other Sluice nodes in front of the same database must still hear of the change. So a flush
-- transaction marks itself (transaction-local settings, see PostgresSink):
--   sluice.origin = 'writeback'     set by every write-back transaction
--   sluice.node   = <writeback.node> the node whose journal the rows came from
-- and notify_invalidate() adds "origin": <node> to the payload of such a transaction's changes.
-- A listener ignores payloads whose origin is its own node. Payloads of other writers are as
-- before (V2).

CREATE OR REPLACE FUNCTION sluice.notify_invalidate() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
  changed jsonb[];
  rec jsonb;
  one jsonb;
  keys jsonb := '[]'::jsonb;
  origin text := NULL;
  payload jsonb;
BEGIN
  IF current_setting('sluice.origin', true) = 'writeback' THEN
    origin := NULLIF(current_setting('sluice.node', true), '');
  END IF;
  IF TG_LEVEL = 'ROW' AND TG_NARGS > 1 THEN
    IF TG_OP = 'INSERT' THEN
      changed := ARRAY[to_jsonb(NEW)];
    ELSIF TG_OP = 'DELETE' THEN
      changed := ARRAY[to_jsonb(OLD)];
    ELSE
      changed := ARRAY[to_jsonb(OLD), to_jsonb(NEW)];
    END IF;
    FOREACH rec IN ARRAY changed LOOP
      one := '{}'::jsonb;
      FOR i IN 1 .. TG_NARGS - 1 LOOP
        one := one || jsonb_build_object(TG_ARGV[i], rec ->> TG_ARGV[i]);
      END LOOP;
      IF NOT keys @> jsonb_build_array(one) THEN
        keys := keys || jsonb_build_array(one);
      END IF;
    END LOOP;
    payload := jsonb_build_object('mapping', TG_ARGV[0], 'keys', keys);
  ELSE
    payload := jsonb_build_object('mapping', TG_ARGV[0]);
  END IF;
  IF octet_length(payload::text) > 7900 THEN
    payload := jsonb_build_object('mapping', TG_ARGV[0]);
  END IF;
  IF origin IS NOT NULL THEN
    payload := payload || jsonb_build_object('origin', origin);
  END IF;
  PERFORM pg_notify('sluice_invalidate', payload::text);
  RETURN NULL;
END
$fn$;

COMMENT ON FUNCTION sluice.notify_invalidate() IS
  'Trigger function installed by Sluice for invalidate: notify mappings: NOTIFY sluice_invalidate'
  ' with the mapping, the changed rows'' key values and, for Sluice''s own write-back, its node.';
