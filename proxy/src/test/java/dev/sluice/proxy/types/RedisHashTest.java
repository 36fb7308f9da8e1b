package dev.sluice.proxy.types;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RedisHashTest {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String s(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static RedisHash hashOf(int fields, String prefix) {
    RedisHash hash = new RedisHash();
    for (int i = 0; i < fields; i++) {
      hash.put(b(prefix + i), b("v" + i));
    }
    return hash;
  }

  private static Map<String, String> contents(RedisHash hash) {
    Map<String, String> map = new LinkedHashMap<>();
    hash.forEach((f, v) -> map.put(s(f), s(v)));
    return map;
  }

  @Test
  void newHash_isEmptyListpack() {
    RedisHash hash = new RedisHash();
    assertTrue(hash.isEmpty());
    assertEquals(0, hash.size());
    assertEquals("hash", hash.typeName());
    assertEquals("listpack", hash.encoding());
  }

  @Test
  void put_newThenExistingField_reportsWhetherNewAndKeepsLastValue() {
    RedisHash hash = new RedisHash();
    assertTrue(hash.put(b("f"), b("1")));
    assertFalse(hash.put(b("f"), b("2")));
    assertEquals(1, hash.size());
    assertArrayEquals(b("2"), hash.get(b("f")));
    assertNull(hash.get(b("missing")));
    assertTrue(hash.containsKey(b("f")));
    assertFalse(hash.containsKey(b("g")));
  }

  @Test
  void put_128Fields_staysListpack_129thConverts() {
    RedisHash hash = hashOf(128, "f");
    assertEquals("listpack", hash.encoding());
    hash.put(b("f0"), b("overwritten")); // an existing field does not count
    assertEquals("listpack", hash.encoding());
    hash.put(b("one-more"), b("x"));
    assertEquals("hashtable", hash.encoding());
    assertEquals(129, hash.size());
    assertArrayEquals(b("overwritten"), hash.get(b("f0")));
    assertArrayEquals(b("v127"), hash.get(b("f127")));
  }

  @Test
  void put_valueOf64Bytes_staysListpack_65BytesConverts() {
    RedisHash hash = new RedisHash();
    hash.put(b("f"), new byte[64]);
    assertEquals("listpack", hash.encoding());
    hash.put(b("f"), new byte[65]);
    assertEquals("hashtable", hash.encoding());
    assertEquals(65, hash.get(b("f")).length);
  }

  @Test
  void put_fieldLongerThan64Bytes_converts() {
    RedisHash hash = hashOf(3, "f");
    hash.put(new byte[65], b("v"));
    assertEquals("hashtable", hash.encoding());
    assertEquals(4, hash.size());
  }

  @Test
  void reserve_moreThan128Fields_convertsAtOnce_128DoesNot() {
    RedisHash hash = new RedisHash();
    hash.reserve(128);
    assertEquals("listpack", hash.encoding());
    hash.reserve(129);
    assertEquals("hashtable", hash.encoding());
  }

  @Test
  void remove_fromHashtableDownToOneField_neverConvertsBack() {
    RedisHash hash = hashOf(200, "f");
    for (int i = 1; i < 200; i++) {
      assertTrue(hash.remove(b("f" + i)));
    }
    assertFalse(hash.remove(b("f1")));
    assertEquals(1, hash.size());
    assertEquals("hashtable", hash.encoding());
    assertArrayEquals(b("v0"), hash.get(b("f0")));
  }

  @Test
  void forEach_listpackAfterRemovals_keepsInsertionOrder() {
    RedisHash hash = hashOf(6, "f");
    hash.remove(b("f2"));
    hash.remove(b("f4"));
    hash.put(b("f1"), b("new"));
    assertEquals(
        List.of("f0=v0", "f1=new", "f3=v3", "f5=v5"),
        contents(hash).entrySet().stream().map(Object::toString).toList());
  }

  @Test
  void binaryFieldsAndValues_roundTripEveryByte() {
    RedisHash hash = new RedisHash();
    byte[] field = {0, -1, '\r', '\n', 127};
    byte[] value = {-128, 0, 0, 1};
    hash.put(field, value);
    assertArrayEquals(value, hash.get(field.clone()));
    assertNull(hash.get(new byte[] {0, -1, '\r', '\n'}));
  }

  @Test
  void estimatedBytes_tenShortFields_isTheHashAndOnePackedArray() {
    RedisHash hash = hashOf(10, "f");

    // 10 fields and 10 values of 2 bytes, each after a length byte: 60 bytes, 16 + 60 aligned; the
    // hash itself is a header, one reference and its size: 24 bytes, references compressed or not
    assertEquals("listpack", hash.encoding());
    assertEquals(24 + 80, hash.estimatedBytes());
  }

  @Test
  void put_binaryAndBoundaryLengthsInListpack_readBackExactly() {
    RedisHash hash = new RedisHash();
    byte[] binary = {0, -1, '\r', '\n', (byte) 0x80};
    byte[] longest = new byte[RedisHash.MAX_LISTPACK_VALUE];
    java.util.Arrays.fill(longest, (byte) 0xff);
    hash.put(binary, longest);
    hash.put(b("empty"), new byte[0]);
    hash.put(new byte[0], b("x"));
    hash.put(binary, b("shorter")); // replaced with another length
    hash.put(b("empty"), b("y")); // replaced with another length

    assertEquals("listpack", hash.encoding());
    assertEquals(3, hash.size());
    assertArrayEquals(b("shorter"), hash.get(binary));
    assertArrayEquals(b("y"), hash.get(b("empty")));
    assertArrayEquals(b("x"), hash.get(new byte[0]));
    hash.put(b("empty"), longest);
    assertArrayEquals(longest, hash.get(b("empty")));
    assertTrue(hash.remove(binary));
    assertEquals(List.of("empty", ""), new ArrayList<>(contents(hash).keySet()));
    assertEquals(hash.recountBytes(), hash.estimatedBytes());
  }

  @Test
  void estimatedBytes_listpackAfterAddsAndRemoves_equalsFreshBuild() {
    RedisHash hash = new RedisHash();
    for (int i = 0; i < 100; i++) {
      hash.put(b("field" + i), b("value-" + "x".repeat(i % 40)));
    }
    for (int i = 0; i < 100; i += 3) {
      hash.remove(b("field" + i));
    }
    hash.put(b("field1"), b("a much longer value than before"));
    RedisHash fresh = new RedisHash();
    hash.forEach((f, v) -> fresh.put(f.clone(), v.clone()));
    assertEquals("listpack", hash.encoding());
    assertEquals(fresh.estimatedBytes(), hash.estimatedBytes());
    assertEquals(hash.recountBytes(), hash.estimatedBytes());
  }

  @Test
  void estimatedBytes_hashtableAfterAddsAndRemoves_equalsFreshBuildOfSameCapacity() {
    RedisHash hash = new RedisHash();
    for (int i = 0; i < 1000; i++) {
      hash.put(b("field" + i), b("value" + i));
    }
    for (int i = 0; i < 1000; i += 10) {
      hash.remove(b("field" + i));
    }
    RedisHash fresh = new RedisHash();
    hash.forEach((f, v) -> fresh.put(f.clone(), v.clone()));
    assertEquals(900, fresh.size());
    assertEquals(fresh.estimatedBytes(), hash.estimatedBytes());
  }

  @Test
  void estimatedBytes_randomOperations_matchesRecountAfterEveryStep() {
    Random random = new Random(42);
    RedisHash hash = new RedisHash();
    for (int step = 0; step < 5000; step++) {
      byte[] field = b("f" + random.nextInt(400));
      int op = random.nextInt(10);
      if (op < 6) {
        hash.put(field, new byte[random.nextInt(random.nextInt(50) == 0 ? 200 : 30)]);
      } else {
        hash.remove(field);
      }
      assertEquals(hash.recountBytes(), hash.estimatedBytes(), "after step " + step);
    }
  }

  @Test
  void estimatedBytes_countsFieldAndValueArrays() {
    RedisHash small = hashOf(1, "f");
    RedisHash big = new RedisHash();
    big.put(b("f0"), new byte[1000]);
    assertTrue(big.estimatedBytes() >= small.estimatedBytes() + 1000 - 8);
    RedisHash many = new RedisHash();
    for (int i = 0; i < 10_000; i++) {
      many.put(b(String.format("field:%05d", i)), new byte[100]);
    }
    // the hash, the table object and its 16,384 buckets, then per entry a 32-byte node, a 32-byte
    // field array (16 + 11, aligned) and a 120-byte value array (16 + 100, aligned)
    long expected = 32 + 24 + (16 + 4 * 16_384) + 10_000L * (32 + 32 + 120);
    assertEquals(expected, many.estimatedBytes());
  }

  @Test
  void copy_isDeepAndIndependent() {
    for (int fields : new int[] {5, 300}) {
      RedisHash original = hashOf(fields, "f");
      RedisHash copy = original.copy();
      assertEquals(original.encoding(), copy.encoding());
      assertEquals(original.estimatedBytes(), copy.estimatedBytes());
      assertEquals(contents(original), contents(copy));
      assertNotSame(original.get(b("f1")), copy.get(b("f1")));
      copy.put(b("f1"), b("changed"));
      copy.remove(b("f2"));
      copy.put(b("new"), b("x"));
      assertArrayEquals(b("v1"), original.get(b("f1")));
      assertArrayEquals(b("v2"), original.get(b("f2")));
      assertFalse(original.containsKey(b("new")));
      assertEquals(fields, original.size());
      assertEquals(copy.recountBytes(), copy.estimatedBytes());
    }
  }

  @Test
  void randomEntry_returnsAPairOfTheHash() {
    for (int fields : new int[] {3, 500}) {
      RedisHash hash = hashOf(fields, "f");
      Random random = new Random(7);
      Set<String> seen = new HashSet<>();
      byte[][] pair = new byte[2][];
      for (int i = 0; i < 5000; i++) {
        hash.randomEntry(random, pair);
        String field = s(pair[0]);
        assertEquals("v" + field.substring(1), s(pair[1]));
        seen.add(field);
      }
      assertTrue(seen.size() >= Math.min(fields, 400), "picks cover the hash: " + seen.size());
    }
  }

  @Test
  void scan_listpack_visitsEverythingAndReturnsZero() {
    RedisHash hash = hashOf(10, "f");
    Map<String, String> seen = new HashMap<>();
    assertEquals(0, hash.scan(12345, (f, v) -> seen.put(s(f), s(v))));
    assertEquals(contents(hash), seen);
  }

  @Test
  void scan_hashtableGrowingAndShrinkingBetweenCalls_returnsEveryFieldPresentThroughout() {
    RedisHash hash = hashOf(1000, "stable");
    Set<String> seen = new HashSet<>();
    long cursor = 0;
    int call = 0;
    do {
      cursor = hash.scan(cursor, (f, v) -> seen.add(s(f)));
      call++;
      if (call == 5) { // grow the table twice over
        for (int i = 0; i < 3000; i++) {
          hash.put(b("extra" + i), b("x"));
        }
      } else if (call == 40) { // and shrink it well below where it started
        for (int i = 0; i < 3000; i++) {
          hash.remove(b("extra" + i));
        }
        for (int i = 100; i < 1000; i++) {
          hash.remove(b("stable" + i));
        }
      }
    } while (cursor != 0);
    for (int i = 0; i < 100; i++) {
      assertTrue(seen.contains("stable" + i), "stable" + i + " was not returned");
    }
  }

  @Test
  void manyFields_lookupsAfterResizes_findEveryField() {
    RedisHash hash = new RedisHash();
    List<String> fields = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      fields.add("k" + i);
      hash.put(b("k" + i), b(Integer.toString(i)));
    }
    for (int i = 0; i < 20_000; i += 2) {
      hash.remove(b("k" + i));
    }
    for (int i = 0; i < 20_000; i++) {
      byte[] value = hash.get(b(fields.get(i)));
      if (i % 2 == 0) {
        assertNull(value);
      } else {
        assertArrayEquals(b(Integer.toString(i)), value);
      }
    }
    assertEquals(10_000, hash.size());
  }
}
