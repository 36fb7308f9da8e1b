package dev.sluice.proxy.types.stream;

/**
 * One stream entry as a reply carries it: its ID and its fields and values alternating (field 1,
 * value 1, field 2 …), fresh arrays the caller may keep. {@code fieldsValues} is null where Redis
 * replies with the ID alone (XCLAIM / XAUTOCLAIM JUSTID) or with a null array for an entry that a
 * consumer's PEL still names but the stream no longer holds (XREADGROUP history).
 */
public record StreamEntry(StreamId id, byte[][] fieldsValues) {}
