package dev.sluice.proxy.keyspace;

/**
 * Estimated heap bytes of keys and values on a 64-bit JVM with compressed oops. used_memory is the
 * sum of these, so that maxmemory and eviction work on the dataset as Redis's do, independent of
 * when the garbage collector last ran.
 */
public final class MemoryEstimate {
  private MemoryEstimate() {}

  static final int ENTRY_BYTES = 48;

  public static long byteArray(int length) {
    return align(16L + length);
  }

  static long align(long bytes) {
    return (bytes + 7) & ~7L;
  }

  static long value(Object value) {
    if (value instanceof byte[] bytes) {
      return byteArray(bytes.length);
    }
    if (value instanceof RedisValue sized) {
      return sized.estimatedBytes();
    }
    throw new IllegalArgumentException("no size estimate for " + value.getClass());
  }

  static int entry(Entry entry) {
    long bytes = ENTRY_BYTES + byteArray(entry.key.length) + value(entry.value);
    return (int) Math.min(bytes, Integer.MAX_VALUE);
  }
}
