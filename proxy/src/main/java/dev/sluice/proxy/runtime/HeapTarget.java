package dev.sluice.proxy.runtime;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps ZGC's soft heap limit ({@code SoftMaxHeapSize}) near what the data needs, so that the
 * process does not float far above its data.
 *
 * <p>Why: without {@code -Xmx} the JVM's maximum heap is a quarter of the machine's memory, and ZGC
 * (the launcher's collector) lets its heap grow toward that maximum under a high allocation rate
 * rather than collect more often: a benchmark left a 4.7 GB process holding 130 MB of keys (issue
 * 18). {@code SoftMaxHeapSize} is the size ZGC collects to stay under, while it may still grow past
 * it rather than stall an allocation; it is a manageable flag, so it can follow the data at run
 * time.
 *
 * <p>The target, recomputed by {@link #adjust} once a second: the heap in use after the last
 * collection (the live data, keys and everything else) times {@value #HEADROOM}, plus {@value
 * #SLACK_MIB} MiB for what a burst allocates between collections; at least {@value #FLOOR_MIB} MiB;
 * with {@code maxmemory} set, at most what that much data would need by the same rule, so that the
 * heap follows {@code maxmemory}; never above the maximum heap. It is set only when it moved by
 * more than a tenth, so ZGC is not retuned every second.
 *
 * <p>Nothing is done under another collector, or when the operator chose the limit on the command
 * line ({@code -XX:SoftMaxHeapSize}), which stays theirs.
 */
final class HeapTarget {
  private static final Logger log = LoggerFactory.getLogger(HeapTarget.class);

  static final double HEADROOM = 1.5;
  static final long SLACK_MIB = 64;
  static final long FLOOR_MIB = 128;
  private static final long MIB = 1024 * 1024;

  private final HotSpotDiagnosticMXBean hotspot;
  private final MemoryPoolMXBean heap;
  private final long maxHeap;
  private long current;

  private HeapTarget(HotSpotDiagnosticMXBean hotspot, MemoryPoolMXBean heap, long maxHeap) {
    this.hotspot = hotspot;
    this.heap = heap;
    this.maxHeap = maxHeap;
    this.current = maxHeap;
  }

  /** The target for this JVM, or null when it is not ZGC's or the operator set the limit. */
  static HeapTarget forThisJvm() {
    HotSpotDiagnosticMXBean hotspot =
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    if (hotspot == null || !"true".equals(hotspot.getVMOption("UseZGC").getValue())) {
      return null;
    }
    VMOption soft = hotspot.getVMOption("SoftMaxHeapSize");
    if (soft.getOrigin() == VMOption.Origin.VM_CREATION
        || soft.getOrigin() == VMOption.Origin.ENVIRON_VAR
        || soft.getOrigin() == VMOption.Origin.CONFIG_FILE) {
      return null;
    }
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      MemoryUsage afterGc = pool.getCollectionUsage();
      if (afterGc != null && pool.getName().startsWith("ZHeap")) {
        return new HeapTarget(hotspot, pool, Runtime.getRuntime().maxMemory());
      }
    }
    return null;
  }

  /** The soft limit for {@code liveBytes} in use after a collection, given {@code maxmemory}. */
  static long target(long liveBytes, long maxmemory, long maxHeap) {
    long wanted = Math.max(need(liveBytes), FLOOR_MIB * MIB);
    if (maxmemory > 0) {
      wanted = Math.min(wanted, Math.max(need(maxmemory), FLOOR_MIB * MIB));
    }
    return Math.min(wanted, maxHeap);
  }

  private static long need(long bytes) {
    return (long) (bytes * HEADROOM) + SLACK_MIB * MIB;
  }

  /** Once a second, from the cron thread. */
  void adjust(long maxmemory) {
    MemoryUsage afterGc = heap.getCollectionUsage();
    if (afterGc == null) {
      return;
    }
    long wanted = target(afterGc.getUsed(), maxmemory, maxHeap);
    if (Math.abs(wanted - current) * 10 <= current) {
      return;
    }
    try {
      hotspot.setVMOption("SoftMaxHeapSize", Long.toString(wanted));
      log.debug(
          "SoftMaxHeapSize {} MiB (live after the last collection {} MiB, maxmemory {})",
          wanted / MIB,
          afterGc.getUsed() / MIB,
          maxmemory);
      current = wanted;
    } catch (IllegalArgumentException | SecurityException refused) {
      log.warn("cannot set SoftMaxHeapSize to {}: {}", wanted, refused.toString());
      current = wanted; // not retried every second
    }
  }
}
