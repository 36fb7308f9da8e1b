/**
 * Redis's serialisation formats, below the features that use them: CRC-64 ({@link
 * dev.sluice.proxy.rdb.Crc64}), LZF ({@link dev.sluice.proxy.rdb.Lzf}) and RDB lengths and strings
 * ({@link dev.sluice.proxy.rdb.RdbStrings}), the listpack, intset and ziplist blobs, values as RDB
 * objects ({@link dev.sluice.proxy.rdb.RdbObjects}), DUMP payloads ({@link
 * dev.sluice.proxy.rdb.DumpPayload}) and RDB files ({@link dev.sluice.proxy.rdb.RdbFileWriter},
 * {@link dev.sluice.proxy.rdb.RdbFileLoader}). FUNCTION DUMP/RESTORE, DUMP/RESTORE and dump.rdb use
 * them; replication's full sync could send the same file.
 */
package dev.sluice.proxy.rdb;
