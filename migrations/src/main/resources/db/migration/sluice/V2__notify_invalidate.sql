-- Invalidation for look-aside reads (mappings with `invalidate: notify` and query mappings with
-- `depends-on`). Sluice LISTENs on channel `sluice_invalidate` and evicts what a payload names.
--
-- sluice.notify_invalidate() is a trigger function; Sluice installs the triggers that call it
-- (SLUICE INSTALL-TRIGGERS <mapping>, or at start-up), never this migration. Its arguments:
--   TG_ARGV[0]      the mapping's name
--   TG_ARGV[1..n]   row mappings: the key columns (in the order of the key template)
-- The payload is a JSON object:
--   {"mapping": "users", "keys": [{"id": "1"}, ...]}   row triggers: the changed rows' key values
--                                                      (for an UPDATE both the old and the new)
--   {"mapping": "top_products"}                        statement triggers, or a payload that
--                                                      would exceed NOTIFY's 8000 bytes: drop
--                                                      every key of the mapping
-- NOTIFY is delivered at commit, and identical payloads of one transaction are sent once.

CREATE FUNCTION sluice.notify_invalidate() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
  changed jsonb[];
  rec jsonb;
  one jsonb;
  keys jsonb := '[]'::jsonb;
  payload text;
BEGIN
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
    payload := jsonb_build_object('mapping', TG_ARGV[0], 'keys', keys)::text;
  ELSE
    payload := jsonb_build_object('mapping', TG_ARGV[0])::text;
  END IF;
  IF octet_length(payload) > 7900 THEN
    payload := jsonb_build_object('mapping', TG_ARGV[0])::text;
  END IF;
  PERFORM pg_notify('sluice_invalidate', payload);
  RETURN NULL;
END
$fn$;

COMMENT ON FUNCTION sluice.notify_invalidate() IS
  'Trigger function installed by Sluice for invalidate: notify mappings: NOTIFY sluice_invalidate'
  ' with the mapping and the changed rows'' key values.';
