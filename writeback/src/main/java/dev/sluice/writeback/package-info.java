/**
 * Write-back: the durable journal (segments, CRC-32C, group commit, recovery), the batcher and
 * PostgreSQL sink, exactly-once bookkeeping and DBA flow control. Depends only on {@code config}.
 * Filled by the write-back issue; the module exists now so the dependency direction is fixed.
 */
package dev.sluice.writeback;
