package dev.sluice.proxy.engine;

import dev.sluice.proxy.durable.MappedWrites;

/**
 * What a write command does to a key of a row mapping with {@code write: back}, as its command spec
 * declares it; {@link MappedWrites} checks the write against the table before it runs. Kv mappings
 * take any write command: they keep the key's whole value.
 */
public enum MappedWrite {
  /** Not written back to a row: refused on a row mapping (the default). */
  UNSUPPORTED,
  /** Runs other commands (EXEC, EVAL, FCALL): they are checked one by one as they run. */
  NESTED,
  /** Changes only the cached copy's expiry (EXPIRE, PERSIST …): allowed, nothing journaled. */
  CACHE_ONLY,
  /** Deletes the key: the row, when the mapping says {@code on-delete: delete} (DEL, UNLINK). */
  DELETE,
  /** Sets the columns named by field/value pairs from argument 2 on (HSET, HMSET, HSETNX). */
  HASH_SET,
  /** Sets the columns named from argument 2 on to NULL (HDEL). */
  HASH_DELETE,
  /** Adds to the numeric or text column named by argument 2 (HINCRBY, HINCRBYFLOAT). */
  HASH_INCREMENT,
  /** Upserts the columns of the JSON object in argument 2, on {@code shape: json} (SET). */
  JSON_SET
}
