package dev.sluice.writeback.journal;

/**
 * One journaled write: its log sequence number, a type byte chosen by the caller (what kind of
 * write the payload encodes) and the payload. Records read from disk have passed their CRC-32C.
 */
public record JournalRecord(long lsn, byte type, byte[] payload) {}
