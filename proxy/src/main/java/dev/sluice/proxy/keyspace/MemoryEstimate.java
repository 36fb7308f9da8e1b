package dev.sluice.proxy.keyspace;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/**
 * Estimated heap bytes of keys and values on a 64-bit JVM, with references of the size the running
 * JVM uses. used_memory is the sum of these, so that maxmemory and eviction work on the dataset as
 * Redis's do, independent of when the garbage collector last ran.
 */
public final class MemoryEstimate {
  private MemoryEstimate() {}

  /**
   * Bytes of a reference: 4 with compressed oops (G1 or Parallel with a heap under 32 GB), 8
   * without (ZGC on JDK 17, the launcher's collector).
   */
  public static final int REFERENCE_BYTES = compressedOops() ? 4 : 8;

  /** An {@link Entry}: 12-byte header, three references and three ints, aligned. */
  static final int ENTRY_BYTES = REFERENCE_BYTES == 4 ? 40 : 48;

  private static boolean compressedOops() {
    try {
      return Boolean.parseBoolean(
          ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
              .getVMOption("UseCompressedOops")
              .getValue());
    } catch (RuntimeException | LinkageError e) {
      return true; // not HotSpot: assume the common case
    }
  }

  public static long byteArray(int length) {
    return align(16L + length);
  }

  public static long align(long bytes) {
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

  /** A key with its value and the entry holding them, as used_memory counts it. */
  public static int entry(Entry entry) {
    long bytes = ENTRY_BYTES + byteArray(entry.key.length) + value(entry.value);
    return (int) Math.min(bytes, Integer.MAX_VALUE);
  }
}
