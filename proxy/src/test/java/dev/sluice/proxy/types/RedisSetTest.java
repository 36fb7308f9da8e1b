package dev.sluice.proxy.types;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RedisSetTest {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String s(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static RedisSet setOf(String... members) {
    RedisSet set = new RedisSet();
    for (String m : members) {
      set.add(b(m));
    }
    return set;
  }

  private static RedisSet ints(int from, int count) {
    RedisSet set = new RedisSet();
    for (int i = from; i < from + count; i++) {
      set.add(b(Integer.toString(i)));
    }
    return set;
  }

  private static List<String> members(RedisSet set) {
    List<String> all = new ArrayList<>();
    set.forEach(m -> all.add(s(m)));
    return all;
  }

  @Test
  void newSet_isEmptyIntset() {
    RedisSet set = new RedisSet();
    assertTrue(set.isEmpty());
    assertEquals("set", set.typeName());
    assertEquals("intset", set.encoding());
  }

  @Test
  void create_followsFirstMemberAndSizeHint() {
    assertEquals("intset", RedisSet.create(b("1"), 1).encoding());
    assertEquals("intset", RedisSet.create(b("1"), 512).encoding());
    assertEquals("hashtable", RedisSet.create(b("1"), 513).encoding());
    assertEquals("listpack", RedisSet.create(b("a"), 128).encoding());
    assertEquals("hashtable", RedisSet.create(b("a"), 129).encoding());
  }

  @Test
  void add_integers_keepsIntsetSortedAscending() {
    RedisSet set = setOf("5", "-3", "100", "0", "5", "9223372036854775807", "-9223372036854775808");
    assertEquals("intset", set.encoding());
    assertEquals(6, set.size());
    assertEquals(
        List.of("-9223372036854775808", "-3", "0", "5", "100", "9223372036854775807"),
        members(set));
  }

  @Test
  void add_nonCanonicalIntegers_convertToListpack() {
    for (String member : new String[] {"01", "+1", "-0", " 1", "1 ", "9223372036854775808", ""}) {
      RedisSet set = setOf("1", "2");
      assertTrue(set.add(b(member)), member);
      assertEquals("listpack", set.encoding(), member);
      assertTrue(set.contains(b(member)), member);
      assertTrue(set.contains(b("1")), member);
      assertFalse(set.contains(b("3")), member);
    }
  }

  @Test
  void contains_intsetWithNonCanonicalQuery_isFalse() {
    RedisSet set = setOf("1", "-1");
    assertTrue(set.contains(b("1")));
    assertFalse(set.contains(b("01")));
    assertFalse(set.contains(b("+1")));
    assertFalse(set.remove(b("01")));
    assertEquals(2, set.size());
  }

  @Test
  void intset_512Members_staysIntset_513thConverts() {
    RedisSet set = ints(0, 512);
    assertEquals("intset", set.encoding());
    set.add(b("512"));
    assertEquals("hashtable", set.encoding());
    assertEquals(513, set.size());
    assertTrue(set.contains(b("0")));
    assertTrue(set.contains(b("512")));
  }

  @Test
  void intset_nonIntegerWith127Members_becomesListpack_with128BecomesHashtable() {
    RedisSet small = ints(0, 127);
    small.add(b("a"));
    assertEquals("listpack", small.encoding());
    assertEquals(128, small.size());
    RedisSet full = ints(0, 128);
    full.add(b("a"));
    assertEquals("hashtable", full.encoding());
    assertEquals(129, full.size());
  }

  @Test
  void intset_longNonIntegerMember_becomesHashtable() {
    RedisSet set = setOf("1");
    set.add(new byte[65]);
    assertEquals("hashtable", set.encoding());
  }

  @Test
  void listpack_128Members_staysListpack_129thConverts() {
    RedisSet set = new RedisSet();
    for (int i = 0; i < 128; i++) {
      set.add(b("m" + i));
    }
    assertEquals("listpack", set.encoding());
    assertFalse(set.add(b("m0")));
    assertEquals("listpack", set.encoding());
    set.add(b("7")); // an integer member converts too: listpacks never go back to intset
    assertEquals("hashtable", set.encoding());
  }

  @Test
  void listpack_memberOf64Bytes_stays_65Converts() {
    RedisSet set = setOf("a");
    set.add(new byte[64]);
    assertEquals("listpack", set.encoding());
    set.add(new byte[65]);
    assertEquals("hashtable", set.encoding());
  }

  @Test
  void reserve_beyondEncodingLimit_convertsAtOnce() {
    RedisSet intset = setOf("1");
    intset.reserve(512);
    assertEquals("intset", intset.encoding());
    intset.reserve(513);
    assertEquals("hashtable", intset.encoding());
    RedisSet listpack = setOf("a");
    listpack.reserve(128);
    assertEquals("listpack", listpack.encoding());
    listpack.reserve(129);
    assertEquals("hashtable", listpack.encoding());
  }

  @Test
  void remove_neverConvertsBack() {
    RedisSet set = ints(0, 600);
    for (int i = 1; i < 600; i++) {
      assertTrue(set.remove(b(Integer.toString(i))));
    }
    assertEquals("hashtable", set.encoding());
    assertEquals(List.of("0"), members(set));
    RedisSet listpack = setOf("1", "a");
    listpack.remove(b("a"));
    assertEquals("listpack", listpack.encoding());
  }

  @Test
  void estimatedBytes_intsetAfterAddsAndRemoves_equalsFreshBuild() {
    RedisSet set = ints(0, 300);
    for (int i = 0; i < 300; i += 3) {
      set.remove(b(Integer.toString(i)));
    }
    RedisSet fresh = new RedisSet();
    set.forEach(fresh::add);
    assertEquals("intset", set.encoding());
    assertEquals(fresh.estimatedBytes(), set.estimatedBytes());
    assertEquals(set.recountBytes(), set.estimatedBytes());
  }

  @Test
  void estimatedBytes_listpackAfterAddsAndRemoves_equalsFreshBuild() {
    RedisSet set = new RedisSet();
    for (int i = 0; i < 60; i++) {
      set.add(b("member-" + "y".repeat(i % 50)));
      set.add(b("other" + i));
    }
    for (int i = 0; i < 60; i += 4) {
      set.remove(b("other" + i));
    }
    RedisSet fresh = new RedisSet();
    set.forEach(m -> fresh.add(m.clone()));
    assertEquals("listpack", set.encoding());
    assertEquals(fresh.estimatedBytes(), set.estimatedBytes());
    assertEquals(set.recountBytes(), set.estimatedBytes());
  }

  @Test
  void estimatedBytes_hashtableAfterAddsAndRemoves_equalsFreshBuildOfSameCapacity() {
    RedisSet set = new RedisSet();
    for (int i = 0; i < 1000; i++) {
      set.add(b("member" + i));
    }
    for (int i = 0; i < 1000; i += 10) {
      set.remove(b("member" + i));
    }
    RedisSet fresh = new RedisSet();
    set.forEach(m -> fresh.add(m.clone()));
    assertEquals(fresh.estimatedBytes(), set.estimatedBytes());
  }

  @Test
  void estimatedBytes_randomOperations_matchesRecountAfterEveryStep() {
    Random random = new Random(1234);
    RedisSet set = new RedisSet();
    for (int step = 0; step < 6000; step++) {
      int n = random.nextInt(700);
      byte[] member =
          random.nextInt(20) == 0 ? b("m" + n) : b(Integer.toString(n - 300)); // mostly ints
      if (random.nextInt(10) < 6) {
        set.add(member);
      } else if (random.nextInt(10) == 0) {
        set.pop(random);
      } else {
        set.remove(member);
      }
      assertEquals(set.recountBytes(), set.estimatedBytes(), "after step " + step);
    }
  }

  @Test
  void estimatedBytes_intset_isEightBytesPerSlot() {
    RedisSet set = ints(0, 100); // 100 slots: 16 + 800 bytes of long[] plus the 32-byte object
    assertEquals(32 + 16 + 800, set.estimatedBytes());
  }

  @Test
  void pop_untilEmpty_returnsEveryMemberOnce() {
    for (RedisSet set : new RedisSet[] {ints(0, 50), setOf("a", "b", "c"), ints(0, 700)}) {
      Set<String> expected = new HashSet<>(members(set));
      Set<String> popped = new HashSet<>();
      Random random = new Random(3);
      byte[] member;
      while ((member = set.pop(random)) != null) {
        assertTrue(popped.add(s(member)));
        assertEquals(set.recountBytes(), set.estimatedBytes());
      }
      assertEquals(expected, popped);
      assertTrue(set.isEmpty());
      assertNull(set.random(random));
    }
  }

  @Test
  void random_returnsMembersOfTheSet() {
    for (RedisSet set : new RedisSet[] {ints(0, 10), setOf("x", "y"), ints(0, 1000)}) {
      Set<String> all = new HashSet<>(members(set));
      Random random = new Random(5);
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < 5000; i++) {
        String m = s(set.random(random));
        assertTrue(all.contains(m), m);
        seen.add(m);
      }
      assertTrue(seen.size() >= Math.min(all.size(), 800), "picks cover the set: " + seen.size());
    }
  }

  @Test
  void copy_isDeepAndIndependent() {
    for (RedisSet original : new RedisSet[] {ints(0, 5), setOf("a", "b"), ints(0, 600)}) {
      RedisSet copy = original.copy();
      assertEquals(original.encoding(), copy.encoding());
      assertEquals(original.estimatedBytes(), copy.estimatedBytes());
      assertEquals(members(original), members(copy));
      copy.add(b("new"));
      copy.remove(b(members(original).get(0)));
      assertFalse(original.contains(b("new")));
      assertTrue(original.contains(b(members(original).get(0))));
      assertEquals(copy.recountBytes(), copy.estimatedBytes());
    }
    RedisSet listpack = setOf("a");
    byte[][] originalMembers = listpack.toArray();
    assertNotSame(originalMembers[0], listpack.copy().toArray()[0]);
    assertArrayEquals(originalMembers[0], listpack.copy().toArray()[0]);
  }

  @Test
  void scan_hashtableGrowingAndShrinkingBetweenCalls_returnsEveryMemberPresentThroughout() {
    RedisSet set = new RedisSet();
    for (int i = 0; i < 1000; i++) {
      set.add(b("stable" + i));
    }
    Set<String> seen = new HashSet<>();
    long cursor = 0;
    int call = 0;
    do {
      cursor = set.scan(cursor, m -> seen.add(s(m)));
      call++;
      if (call == 3) {
        for (int i = 0; i < 5000; i++) {
          set.add(b("extra" + i));
        }
      } else if (call == 60) {
        for (int i = 0; i < 5000; i++) {
          set.remove(b("extra" + i));
        }
        for (int i = 50; i < 1000; i++) {
          set.remove(b("stable" + i));
        }
      }
    } while (cursor != 0);
    for (int i = 0; i < 50; i++) {
      assertTrue(seen.contains("stable" + i), "stable" + i + " was not returned");
    }
  }

  @Test
  void forEachWhile_stopsWhenVisitorReturnsFalse() {
    for (RedisSet set : new RedisSet[] {ints(0, 10), setOf("a", "b", "c", "d"), ints(0, 600)}) {
      int[] visited = {0};
      set.forEachWhile(m -> ++visited[0] < 3);
      assertEquals(3, visited[0]);
    }
  }
}
