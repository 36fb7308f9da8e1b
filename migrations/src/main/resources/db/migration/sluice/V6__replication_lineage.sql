-- Write-back across replicated nodes: a primary and its replicas share one journal numbering (the
-- replicas append the primary's records with its LSNs), so the exactly-once bookkeeping is kept per
-- replication lineage rather than per node. Existing rows keep their value: a journal from before
-- this version continues as the lineage named after its node.
ALTER TABLE sluice.applied RENAME COLUMN node TO lineage;
ALTER TABLE sluice.applied_mapping RENAME COLUMN node TO lineage;
COMMENT ON TABLE sluice.applied IS
  'Per replication lineage, the highest journal LSN whose rows are committed (same transaction as the rows).';
COMMENT ON TABLE sluice.applied_mapping IS
  'Per replication lineage and mapping, the highest journal LSN of its rows committed.';

-- Fencing: only the node holding a lineage's current term flushes it. A promotion raises the term;
-- every flush transaction reads it FOR SHARE first and stops when it is no longer its own, so a
-- demoted primary that comes back never writes again.
CREATE TABLE sluice.lineage_owner (
  lineage text PRIMARY KEY,
  term    bigint NOT NULL CHECK (term > 0),
  node    text NOT NULL,
  since   timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE sluice.lineage_owner IS
  'Per replication lineage, the node allowed to flush it and its term (raised at each promotion).';
