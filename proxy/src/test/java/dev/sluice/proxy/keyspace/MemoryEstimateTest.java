package dev.sluice.proxy.keyspace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.vm.VM;

class MemoryEstimateTest {

  @Test
  void entryBytes_matchesTheLayoutOfThisJvm() {
    assertEquals(
        ClassLayout.parseClass(Entry.class).instanceSize(),
        MemoryEstimate.ENTRY_BYTES,
        ClassLayout.parseClass(Entry.class).toPrintable());
  }

  @Test
  void referenceBytes_matchesThisJvm() {
    long fourReferences = VM.current().sizeOf(new Object[4]) - VM.current().sizeOf(new Object[0]);
    assertEquals(fourReferences / 4, MemoryEstimate.REFERENCE_BYTES);
  }

  @Test
  void byteArray_matchesTheLayoutOfThisJvm() {
    for (int length : new int[] {0, 1, 3, 8, 16, 17, 512}) {
      assertEquals(
          VM.current().sizeOf(new byte[length]),
          MemoryEstimate.byteArray(length),
          "length " + length);
    }
  }
}
