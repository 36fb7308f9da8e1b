package dev.sluice.proxy.types;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Redis's HyperLogLog format and arithmetic, checked against bytes taken from redis-server. */
class HyperLogLogTest {
  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void create_isSparseHeaderAndOneXzero() {
    byte[] empty = HyperLogLog.create().toBytes();
    assertEquals("48594c4c0100000000000000000000007fff", HexFormat.of().formatHex(empty));
    assertTrue(HyperLogLog.isValid(empty));
    assertFalse(HyperLogLog.isDense(empty));
    assertEquals(0, HyperLogLog.count(empty));
  }

  @Test
  void add_oneElement_givesRedisSparseBytes() {
    HyperLogLog hll = HyperLogLog.create();
    assertEquals(1, hll.add(bytes("a")));
    assertEquals(0, hll.add(bytes("a")));
    hll.invalidateCache();
    // redis-cli -p 6550 PFADD one a; GET one (Redis 7.0.15)
    assertEquals(
        "48594c4c01000000000000000000008071a6844e57", HexFormat.of().formatHex(hll.toBytes()));
    assertEquals(-1, HyperLogLog.cachedCount(hll.toBytes()));
    assertEquals(1, HyperLogLog.count(hll.toBytes()));
  }

  @Test
  void withCachedCount_storesLittleEndianAndClearsStaleBit() {
    HyperLogLog hll = HyperLogLog.create();
    hll.add(bytes("a"));
    hll.add(bytes("b"));
    hll.add(bytes("c"));
    hll.invalidateCache();
    byte[] cached = HyperLogLog.withCachedCount(hll.toBytes(), HyperLogLog.count(hll.toBytes()));
    // redis-cli PFADD small a b c; PFCOUNT small; GET small (Redis 7.0.15)
    assertEquals(
        "48594c4c01000000030000000000000060f38050b1844bfb80425a", HexFormat.of().formatHex(cached));
    assertEquals(3, HyperLogLog.cachedCount(cached));
  }

  @Test
  void add_manyElements_promotesToDenseAtSparseMaxBytes() {
    HyperLogLog hll = HyperLogLog.create();
    int added = 0;
    while (!hll.isDense()) {
      hll.add(bytes("element:" + added++));
      assertTrue(hll.isDense() || hll.toBytes().length <= HyperLogLog.SPARSE_MAX_BYTES);
    }
    assertEquals(HyperLogLog.DENSE_SIZE, hll.toBytes().length);
    assertTrue(added > 1000 && added < 3000, "promoted after " + added);
  }

  @Test
  void toDense_keepsEveryRegister() {
    HyperLogLog sparse = HyperLogLog.create();
    for (int i = 0; i < 500; i++) {
      sparse.add(bytes("x" + i));
    }
    byte[] registersBefore = new byte[HyperLogLog.REGISTERS];
    assertTrue(HyperLogLog.mergeInto(registersBefore, sparse.toBytes()));
    HyperLogLog dense = HyperLogLog.of(sparse.toBytes());
    assertTrue(dense.toDense());
    byte[] registersAfter = new byte[HyperLogLog.REGISTERS];
    assertTrue(HyperLogLog.mergeInto(registersAfter, dense.toBytes()));
    assertArrayEquals(registersBefore, registersAfter);
    assertEquals(HyperLogLog.count(sparse.toBytes()), HyperLogLog.count(dense.toBytes()));
  }

  @Test
  void isValid_rejectsBadMagicEncodingAndDenseLength() {
    assertFalse(HyperLogLog.isValid(bytes("HYLL")));
    assertFalse(HyperLogLog.isValid(bytes("HYLX\u0001\0\0\0\0\0\0\0\0\0\0\0")));
    assertFalse(HyperLogLog.isValid(bytes("HYLL\u0002\0\0\0\0\0\0\0\0\0\0\0")));
    assertFalse(HyperLogLog.isValid(bytes("HYLL\0\0\0\0\0\0\0\0\0\0\0\0")));
    assertTrue(HyperLogLog.isValid(bytes("HYLL\u0001\0\0\0\0\0\0\0\0\0\0\0")));
  }

  @Test
  void count_corruptSparse_isMinusOne() {
    byte[] truncated = HexFormat.of().parseHex("48594c4c010000000000000000000080" + "01");
    assertEquals(-1, HyperLogLog.count(truncated));
    assertFalse(HyperLogLog.mergeInto(new byte[HyperLogLog.REGISTERS], truncated));
  }

  @Test
  void murmurHash64A_emptyInput_isTheFinalMixOfTheSeed() {
    // with no data the hash is the seed run through the finalisation only
    long h = 0xadc83b19L;
    h ^= h >>> 47;
    h *= 0xc6a4a7935bd1e995L;
    h ^= h >>> 47;
    assertEquals(h, HyperLogLog.murmurHash64A(new byte[0], 0xadc83b19L));
  }
}
