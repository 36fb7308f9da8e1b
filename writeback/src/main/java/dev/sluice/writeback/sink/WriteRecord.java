package dev.sluice.writeback.sink;

/**
 * One journaled write on its way to PostgreSQL. Every record belongs to one mapping, whose lane
 * keeps it in LSN order; {@link WriteRecordCodec} gives each kind its journal record type.
 */
public sealed interface WriteRecord permits AppendRow, RowUpsert, RowDelete, KvWrite, KvDelete {
  /** The mapping the record belongs to. */
  String mapping();
}
