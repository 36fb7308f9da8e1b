/**
 * Redis's serialisation formats, below the features that use them: CRC-64 ({@link
 * dev.sluice.proxy.rdb.Crc64}), LZF ({@link dev.sluice.proxy.rdb.Lzf}) and RDB lengths and strings
 * ({@link dev.sluice.proxy.rdb.RdbStrings}), the listpack, intset and ziplist blobs, values as RDB
 * objects ({@link dev.sluice.proxy.rdb.RdbObjects}) and DUMP payloads ({@link
 * dev.sluice.proxy.rdb.DumpPayload}). FUNCTION DUMP/RESTORE and DUMP/RESTORE use them today; full
 * RDB for replication is to be built on them.
 */
package dev.sluice.proxy.rdb;
