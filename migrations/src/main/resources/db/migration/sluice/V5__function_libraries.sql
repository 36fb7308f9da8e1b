-- Redis 7 function libraries (FUNCTION LOAD), kept across restarts: Redis keeps them in its RDB and
-- AOF, Sluice here. A library is written before FUNCTION LOAD / RESTORE is acknowledged and
-- deleted before FUNCTION DELETE / FLUSH is; Sluice loads them all at start-up. The code is the
-- whole library as loaded, its "#!lua name=..." line included (FUNCTION LIST WITHCODE's text).
CREATE TABLE sluice.function_libraries (
  name       text PRIMARY KEY,
  engine     text NOT NULL,
  code       bytea NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
