package dev.sluice.proxy.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HeapTargetTest {
  private static final long MIB = 1024 * 1024;
  private static final long GIB = 1024 * MIB;

  @Test
  void target_liveData_halfAgainPlusSlack() {
    assertEquals(450 * MIB + 64 * MIB, HeapTarget.target(300 * MIB, 0, 6 * GIB));
  }

  @Test
  void target_littleLiveData_floor() {
    assertEquals(128 * MIB, HeapTarget.target(20 * MIB, 0, 6 * GIB));
  }

  @Test
  void target_maxmemorySmallerThanData_followsMaxmemory() {
    assertEquals(150 * MIB + 64 * MIB, HeapTarget.target(400 * MIB, 100 * MIB, 6 * GIB));
  }

  @Test
  void target_maxmemoryLargerThanData_followsData() {
    assertEquals(300 * MIB + 64 * MIB, HeapTarget.target(200 * MIB, 4 * GIB, 6 * GIB));
  }

  @Test
  void target_moreThanMaximumHeap_maximumHeap() {
    assertEquals(GIB, HeapTarget.target(2 * GIB, 0, GIB));
  }
}
