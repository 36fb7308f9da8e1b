package dev.sluice.proxy.keyspace;

/**
 * A stored value of a type other than string (strings are plain {@code byte[]}, never changed in
 * place). Implementations keep their size estimate up to date as they change, and whoever changes
 * one in place calls {@link Database#changed} afterwards so used_memory, WATCH and blocked clients
 * learn of it.
 */
public interface RedisValue {
  /** The name TYPE reports: "hash", "list", "set", "zset". */
  String typeName();

  /** The name OBJECT ENCODING reports, following Redis's thresholds where they matter. */
  String encoding();

  /** An independent deep copy, for COPY. */
  RedisValue copy();

  /** Estimated heap bytes held, maintained incrementally. */
  long estimatedBytes();

  /** Whether the value has no elements left; Redis deletes empty collections. */
  boolean isEmpty();
}
