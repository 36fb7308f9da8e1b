package dev.sluice.proxy.types;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.keyspace.MemoryEstimate;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The circular-array list against a reference list, its memory bookkeeping and encodings. */
class RedisListTest {
  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> contents(RedisList list) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      out.add(new String(list.get(i), StandardCharsets.UTF_8));
    }
    return out;
  }

  /** The estimate recomputed from scratch: what the incremental bookkeeping must equal. */
  private static long recomputed(RedisList list) {
    long bytes = 40 + RedisList.referenceArrayBytes(list.capacity());
    for (int i = 0; i < list.size(); i++) {
      bytes += MemoryEstimate.byteArray(list.get(i).length);
    }
    return bytes;
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42, 2024})
  void randomOperations_matchReferenceListAndKeepSizeBookkeeping(long seed) {
    Random random = new Random(seed);
    RedisList list = new RedisList();
    List<String> reference = new ArrayList<>();
    for (int step = 0; step < 20_000; step++) {
      String element = "e" + random.nextInt(20) + "x".repeat(random.nextInt(5));
      int op = random.nextInt(reference.size() > 300 ? 14 : 10);
      switch (op) {
        case 0, 1 -> {
          list.addFirst(bytes(element));
          reference.add(0, element);
        }
        case 2, 3 -> {
          list.addLast(bytes(element));
          reference.add(element);
        }
        case 4 -> {
          if (!reference.isEmpty()) {
            assertEquals(
                reference.remove(0), new String(list.removeFirst(), StandardCharsets.UTF_8));
          }
        }
        case 5 -> {
          if (!reference.isEmpty()) {
            assertEquals(
                reference.remove(reference.size() - 1),
                new String(list.removeLast(), StandardCharsets.UTF_8));
          }
        }
        case 6 -> {
          int index = random.nextInt(reference.size() + 1);
          list.insert(index, bytes(element));
          reference.add(index, element);
        }
        case 7 -> {
          if (!reference.isEmpty()) {
            int index = random.nextInt(reference.size());
            list.set(index, bytes(element));
            reference.set(index, element);
          }
        }
        case 8 -> {
          long limit = random.nextInt(4);
          boolean fromTail = random.nextBoolean();
          int expected = removeReference(reference, element, limit, fromTail);
          assertEquals(expected, list.removeMatching(bytes(element), limit, fromTail));
        }
        case 9 -> {
          int index = reference.indexOf(element);
          assertEquals(index, list.indexOf(bytes(element)));
        }
        default -> {
          int head = random.nextInt(reference.size() / 4 + 1);
          int tail = random.nextInt(reference.size() / 4 + 1);
          list.removeFirst(head);
          reference.subList(0, head).clear();
          list.removeLast(tail);
          reference.subList(reference.size() - tail, reference.size()).clear();
        }
      }
      assertEquals(reference.size(), list.size());
      assertEquals(reference.isEmpty(), list.isEmpty());
      if (step % 97 == 0) {
        assertEquals(reference, contents(list), "after step " + step);
      }
      assertEquals(recomputed(list), list.estimatedBytes(), "after step " + step);
    }
    assertEquals(reference, contents(list));
  }

  private static int removeReference(
      List<String> reference, String element, long limit, boolean fromTail) {
    int removed = 0;
    if (fromTail) {
      for (int i = reference.size() - 1; i >= 0 && (limit == 0 || removed < limit); i--) {
        if (reference.get(i).equals(element)) {
          reference.remove(i);
          removed++;
        }
      }
    } else {
      for (int i = 0; i < reference.size() && (limit == 0 || removed < limit); ) {
        if (reference.get(i).equals(element)) {
          reference.remove(i);
          removed++;
        } else {
          i++;
        }
      }
    }
    return removed;
  }

  @Test
  void capacity_growsAndShrinksWithTheList() {
    RedisList list = new RedisList();
    for (int i = 0; i < 1000; i++) {
      list.addLast(bytes("v" + i));
    }
    assertEquals(1024, list.capacity());
    for (int i = 0; i < 995; i++) {
      list.removeFirst();
    }
    assertTrue(list.capacity() <= 32, "capacity " + list.capacity());
    assertEquals(List.of("v995", "v996", "v997", "v998", "v999"), contents(list));
    assertEquals(recomputed(list), list.estimatedBytes());
  }

  @Test
  void estimatedBytes_emptyList_isObjectAndArrayOnly() {
    RedisList list = new RedisList();
    assertEquals(40 + 32, list.estimatedBytes()); // 16 + 4 * 4 slots
    list.addLast(new byte[10]);
    assertEquals(40 + 32 + 32, list.estimatedBytes()); // 16 + 10 aligned to 32
    list.removeLast();
    assertEquals(40 + 32, list.estimatedBytes());
  }

  @Test
  void encoding_upTo128Entries_isListpack() {
    RedisList list = new RedisList();
    for (int i = 0; i < RedisList.LISTPACK_MAX_ENTRIES; i++) {
      list.addLast(bytes("x"));
    }
    assertEquals("listpack", list.encoding());
    list.addFirst(bytes("x"));
    assertEquals("quicklist", list.encoding());
  }

  @Test
  void encoding_elementOf65Bytes_isQuicklistAndStaysSo() {
    RedisList list = new RedisList();
    list.addLast(new byte[64]);
    assertEquals("listpack", list.encoding());
    list.set(0, new byte[65]);
    assertEquals("quicklist", list.encoding());
    list.removeFirst();
    list.addLast(bytes("small"));
    assertEquals("quicklist", list.encoding());
  }

  @Test
  void prepareAdd_tooManyOrTooLong_convertsBeforeAnythingIsAdded() {
    RedisList list = new RedisList();
    list.prepareAdd(128, 64);
    assertEquals("listpack", list.encoding());
    list.prepareAdd(129, 1);
    assertEquals("quicklist", list.encoding());
    RedisList other = new RedisList();
    other.prepareAdd(1, 65);
    assertEquals("quicklist", other.encoding());
  }

  @Test
  void copy_isDeepAndIndependent() {
    RedisList list = new RedisList();
    list.addLast(bytes("a"));
    list.addLast(new byte[100]);
    list.addFirst(bytes("z"));
    RedisList copy = list.copy();
    assertEquals(contents(list), contents(copy));
    assertEquals(list.encoding(), copy.encoding());
    assertEquals(list.estimatedBytes(), copy.estimatedBytes());
    assertNotSame(list.get(0), copy.get(0));
    copy.removeFirst();
    copy.set(0, bytes("changed"));
    assertEquals(List.of("z", "a"), contents(list).subList(0, 2));
    assertEquals(3, list.size());
  }

  @Test
  void removeMatching_fromTailWithLimit_keepsOrderOfTheRest() {
    RedisList list = new RedisList();
    for (String s : "a b a c a d".split(" ")) {
      list.addLast(bytes(s));
    }
    assertEquals(2, list.removeMatching(bytes("a"), 2, true));
    assertEquals(Arrays.asList("a", "b", "c", "d"), contents(list));
    assertEquals(0, list.removeMatching(bytes("zz"), 0, false));
    assertEquals(1, list.removeMatching(bytes("a"), 0, false));
    assertEquals(Arrays.asList("b", "c", "d"), contents(list));
  }

  @Test
  void typeNameAndIsEmpty_reportList() {
    RedisList list = new RedisList();
    assertEquals("list", list.typeName());
    assertTrue(list.isEmpty());
    list.addLast(bytes("a"));
    assertFalse(list.isEmpty());
    assertArrayEquals(bytes("a"), list.remove(true));
    assertTrue(list.isEmpty());
  }
}
