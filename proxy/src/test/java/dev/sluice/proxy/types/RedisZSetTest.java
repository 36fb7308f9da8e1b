package dev.sluice.proxy.types;

import static dev.sluice.proxy.types.RedisZSet.LISTPACK_MAX_ENTRIES;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.types.RedisZSet.Node;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The skip list and hash table of {@link RedisZSet}, checked against a plain sorted reference. */
class RedisZSetTest {
  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  /** A member with its score in the reference, ordered as Redis orders them. */
  private record Item(double score, byte[] member) {}

  private static final Comparator<Item> ORDER =
      (a, b) -> {
        int cmp = Double.compare(a.score, b.score);
        return cmp != 0 ? cmp : Arrays.compareUnsigned(a.member, b.member);
      };

  /** The reference: a sorted set of items plus member → score. */
  private static final class Reference {
    final TreeSet<Item> sorted = new TreeSet<>(ORDER);
    final Map<String, Double> scores = new HashMap<>();

    void put(byte[] member, double score) {
      Double old = scores.put(text(member), score);
      if (old != null) {
        sorted.remove(new Item(old, member));
      }
      sorted.add(new Item(score, member));
    }

    void remove(byte[] member) {
      Double old = scores.remove(text(member));
      sorted.remove(new Item(old, member));
    }

    List<Item> list() {
      return new ArrayList<>(sorted);
    }
  }

  private static void assertSameContents(Reference reference, RedisZSet zset) {
    List<Item> expected = reference.list();
    assertEquals(expected.size(), zset.size());
    int i = 0;
    for (Node n = zset.first(); n != null; n = n.next(), i++) {
      assertEquals(expected.get(i).score(), n.score(), "score at rank " + i);
      assertArrayEquals(expected.get(i).member(), n.member(), "member at rank " + i);
    }
    i = expected.size() - 1;
    for (Node n = zset.last(); n != null; n = n.prev(), i--) {
      assertArrayEquals(expected.get(i).member(), n.member(), "backward at rank " + i);
    }
    assertEquals(-1, i);
    zset.verify();
  }

  /** Members over a few bytes, including bytes above 0x7f, so unsigned order matters. */
  private static byte[] randomMember(SplittableRandom random) {
    byte[] member = new byte[1 + random.nextInt(3)];
    for (int i = 0; i < member.length; i++) {
      member[i] =
          (byte) (random.nextBoolean() ? 'a' + random.nextInt(4) : 0xf0 + random.nextInt(4));
    }
    return member;
  }

  /** Few distinct scores, so ties (ordered by member) are common; infinities included. */
  private static double randomScore(SplittableRandom random) {
    return switch (random.nextInt(12)) {
      case 0 -> Double.NEGATIVE_INFINITY;
      case 1 -> Double.POSITIVE_INFINITY;
      default -> random.nextInt(8) - 3 + (random.nextBoolean() ? 0.5 : 0);
    };
  }

  private static ScoreRange randomScoreRange(SplittableRandom random) {
    return new ScoreRange(
        randomScore(random), random.nextBoolean(), randomScore(random), random.nextBoolean());
  }

  private static byte[] randomLexBound(SplittableRandom random) {
    return switch (random.nextInt(6)) {
      case 0 -> LexRange.MIN;
      case 1 -> LexRange.MAX;
      default -> randomMember(random);
    };
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void randomOperations_matchSortedReference(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    RedisZSet zset = new RedisZSet();
    Reference reference = new Reference();
    for (int op = 0; op < 4_000; op++) {
      byte[] member = randomMember(random);
      Node node = zset.find(member);
      assertEquals(reference.scores.containsKey(text(member)), node != null);
      switch (random.nextInt(10)) {
        case 0, 1, 2 -> {
          double score = randomScore(random);
          if (node == null) {
            zset.add(member, score);
          } else {
            zset.setScore(node, score);
          }
          reference.put(member, score);
        }
        case 3 -> {
          assertEquals(node != null, zset.remove(member));
          if (node != null) {
            reference.remove(member);
          }
        }
        case 4 -> {
          if (node != null) {
            int rank = 0;
            for (Item item : reference.sorted) {
              if (Arrays.equals(item.member(), member)) {
                break;
              }
              rank++;
            }
            assertEquals(rank, zset.rank(node));
          }
        }
        case 5 -> {
          List<Item> list = reference.list();
          long rank = random.nextInt(list.size() + 2) - 1;
          Node at = zset.byRank(rank);
          if (rank < 0 || rank >= list.size()) {
            assertNull(at);
          } else {
            assertArrayEquals(list.get((int) rank).member(), at.member());
          }
        }
        case 6 -> {
          ScoreRange range = randomScoreRange(random);
          List<Item> list = reference.list();
          long before = list.stream().filter(i -> !range.gteMin(i.score())).count();
          long through = list.stream().filter(i -> range.lteMax(i.score())).count();
          assertEquals(before, zset.countBefore(range));
          assertEquals(through, zset.countThrough(range));
        }
        case 7 -> {
          LexRange range =
              new LexRange(
                  randomLexBound(random), random.nextBoolean(),
                  randomLexBound(random), random.nextBoolean());
          // lex ranges are defined when every score is equal: check on a copy with score 0
          RedisZSet flat = new RedisZSet();
          List<byte[]> members = new ArrayList<>();
          for (Item item : reference.list()) {
            members.add(item.member());
          }
          members.sort(Arrays::compareUnsigned);
          for (byte[] m : members) {
            flat.add(m, 0);
          }
          long before = members.stream().filter(m -> !range.gteMin(m)).count();
          long through = members.stream().filter(range::lteMax).count();
          assertEquals(before, flat.countBefore(range));
          assertEquals(through, flat.countThrough(range));
        }
        case 8 -> {
          List<Item> list = reference.list();
          if (!list.isEmpty() && random.nextInt(8) == 0) {
            int start = random.nextInt(list.size());
            int end = start + random.nextInt(3);
            long removed = zset.removeRange(start, end);
            int expected = Math.min(end, list.size() - 1) - start + 1;
            assertEquals(expected, removed);
            for (int i = start; i < start + expected; i++) {
              reference.remove(list.get(i).member());
            }
          }
        }
        default -> {
          // a score change that keeps the node in place must not move it
          if (node != null) {
            long rank = zset.rank(node);
            zset.setScore(node, node.score());
            assertEquals(rank, zset.rank(zset.find(member)));
            if (zset.isSkiplistEncoded()) {
              assertSame(node, zset.find(member));
            }
          }
        }
      }
      if (op % 97 == 0) {
        assertSameContents(reference, zset);
      }
    }
    assertSameContents(reference, zset);
  }

  @Test
  void manyMembers_ranksAndByRankAgree() {
    RedisZSet zset = new RedisZSet();
    SplittableRandom random = new SplittableRandom(42);
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      byte[] member = bytes("m" + i);
      double score = random.nextInt(1_000);
      zset.add(member, score);
      items.add(new Item(score, member));
    }
    items.sort(ORDER);
    zset.verify();
    for (int r = 0; r < items.size(); r += 7) {
      Node node = zset.byRank(r);
      assertArrayEquals(items.get(r).member(), node.member());
      assertEquals(r, zset.rank(zset.find(items.get(r).member())));
    }
    // move every member around, then remove all of them
    for (int i = 0; i < 20_000; i++) {
      Node node = zset.find(bytes("m" + i));
      zset.setScore(node, node.score() + random.nextInt(-5, 6));
    }
    zset.verify();
    for (int i = 0; i < 20_000; i++) {
      assertTrue(zset.remove(bytes("m" + i)));
    }
    assertTrue(zset.isEmpty());
    assertNull(zset.first());
    assertNull(zset.last());
    zset.verify();
  }

  @Test
  void scan_fullIterationWithResizesBetweenCalls_returnsEveryMemberPresentThroughout() {
    RedisZSet zset = new RedisZSet();
    for (int i = 0; i < 1_000; i++) {
      zset.add(bytes("keep" + i), i);
    }
    Set<String> seen = new HashSet<>();
    long cursor = 0;
    int calls = 0;
    do {
      cursor = zset.scan(cursor, n -> seen.add(text(n.member())));
      calls++;
      // grow and shrink the table while the scan is under way
      if (calls == 50) {
        for (int i = 0; i < 3_000; i++) {
          zset.add(bytes("extra" + i), i);
        }
      }
      if (calls == 400) {
        for (int i = 0; i < 3_000; i++) {
          zset.remove(bytes("extra" + i));
        }
      }
    } while (cursor != 0);
    for (int i = 0; i < 1_000; i++) {
      assertTrue(seen.contains("keep" + i), "keep" + i);
    }
  }

  @Test
  void encoding_listpackUpTo128MembersOf64Bytes_thenSkiplistForGood() {
    RedisZSet zset = new RedisZSet();
    for (int i = 0; i < 128; i++) {
      zset.add(bytes("m" + i), i);
    }
    assertEquals("listpack", zset.encoding());
    zset.add(bytes("m128"), 128);
    assertEquals("skiplist", zset.encoding());
    zset.remove(bytes("m128"));
    zset.remove(bytes("m0"));
    assertEquals("skiplist", zset.encoding());

    RedisZSet wide = new RedisZSet();
    wide.add(new byte[64], 1);
    assertEquals("listpack", wide.encoding());
    wide.add(new byte[65], 1);
    assertEquals("skiplist", wide.encoding());

    assertEquals("skiplist", RedisZSet.withHint(129, 1).encoding());
    assertEquals("skiplist", RedisZSet.withHint(1, 65).encoding());
    assertEquals("listpack", RedisZSet.withHint(128, 64).encoding());
    assertEquals("zset", zset.typeName());
  }

  @Test
  void copy_isDeepAndKeepsEncodingAndSize() {
    RedisZSet zset = new RedisZSet();
    for (int i = 0; i < 300; i++) {
      zset.add(bytes("m" + i), i % 7);
    }
    RedisZSet copy = zset.copy();
    copy.verify();
    assertEquals(zset.size(), copy.size());
    assertEquals(zset.encoding(), copy.encoding());
    for (Node a = zset.first(), b = copy.first(); a != null; a = a.next(), b = b.next()) {
      assertArrayEquals(a.member(), b.member());
      assertNotSame(a.member(), b.member());
      assertEquals(a.score(), b.score());
    }
    copy.remove(bytes("m0"));
    copy.setScore(copy.find(bytes("m1")), 100);
    assertEquals(300, zset.size());
    assertEquals(1, zset.find(bytes("m1")).score());
  }

  @Test
  void estimatedBytes_skiplistGrowsWithMembersAndReturnsToBaseWhenEmptied() {
    RedisZSet zset = RedisZSet.withHint(LISTPACK_MAX_ENTRIES + 1, 1);
    long empty = zset.estimatedBytes();
    assertTrue(empty > 0);
    zset.add(bytes("member:000000000001"), 1);
    long one = zset.estimatedBytes();
    // a node and its member array (16 + 19 bytes, aligned) at least
    assertTrue(one - empty >= 40 + 40, "one member costs " + (one - empty));
    for (int i = 0; i < 10_000; i++) {
      zset.add(bytes("member:" + i), i);
    }
    long perMember = (zset.estimatedBytes() - empty) / zset.size();
    assertTrue(perMember > 80 && perMember < 160, "bytes per member " + perMember);
    zset.verify();
    zset.remove(bytes("member:000000000001"));
    for (int i = 0; i < 10_000; i++) {
      zset.remove(bytes("member:" + i));
    }
    zset.verify();
    assertFalse(zset.estimatedBytes() > empty + 2 * 16 + 2 * 8 * 16);
  }

  @Test
  void estimatedBytes_oneMemberListpack_isTheSetAndOneArray() {
    RedisZSet zset = new RedisZSet();
    zset.add(bytes("member:000000000001"), 1);
    // length byte, 19 member bytes, score tag, one score byte: 22 bytes in a 40-byte array
    assertEquals(RedisZSet.SET_BYTES + 40, zset.estimatedBytes());
    zset.setScore(zset.find(bytes("member:000000000001")), 0.5);
    // the score as a double: 8 bytes instead of 1
    assertEquals(RedisZSet.SET_BYTES + 48, zset.estimatedBytes());
  }

  @ParameterizedTest
  @ValueSource(
      doubles = {
        0,
        1,
        -1,
        127,
        128,
        -128,
        -129,
        255,
        256,
        65_535,
        -65_536,
        1e15,
        -1e15,
        9007199254740991.0,
        9007199254740992.0,
        -9007199254740993.0,
        1e300,
        0.1,
        -2.5,
        Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY,
        Double.MIN_VALUE,
        Double.MAX_VALUE,
        -Double.MAX_VALUE
      })
  void listpackScore_anyDouble_readsBackExactly(double score) {
    RedisZSet zset = new RedisZSet();
    zset.add(bytes("a"), score);
    zset.add(bytes("b"), 3);
    assertEquals("listpack", zset.encoding());
    assertEquals(score, zset.find(bytes("a")).score());
    assertEquals(3, zset.find(bytes("b")).score());
    zset.verify();
  }

  @Test
  void listpackScore_negativeZero_readsBackAsZeroButSkiplistKeepsIt() {
    RedisZSet packed = new RedisZSet();
    packed.add(bytes("a"), -0.0);
    assertEquals(
        Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(packed.first().score()));
    RedisZSet computed = RedisZSet.computed();
    computed.add(bytes("a"), -0.0);
    assertEquals(
        Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(computed.first().score()));
    computed.listpackIfSmall();
    assertEquals("listpack", computed.encoding());
    assertEquals(
        Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(computed.first().score()));
  }

  @Test
  void listpackView_afterTheSetChanges_stillReadsWhatItSawAndStillUpdates() {
    RedisZSet zset = new RedisZSet();
    zset.add(bytes("a"), 1);
    zset.add(bytes("b"), 2);
    Node a = zset.find(bytes("a"));
    zset.add(bytes("c"), 0);
    assertEquals(1, a.score());
    assertArrayEquals(bytes("b"), a.next().member());
    assertEquals(1, zset.rank(a));
    zset.setScore(a, 5);
    assertEquals(2, zset.rank(zset.find(bytes("a"))));
    zset.remove(a);
    assertNull(zset.find(bytes("a")));
    assertEquals(2, zset.size());
    zset.verify();
  }

  @Test
  void conversion_129thMember_keepsEveryMemberAndScore() {
    RedisZSet zset = new RedisZSet();
    Reference reference = new Reference();
    for (int i = 0; i < LISTPACK_MAX_ENTRIES; i++) {
      double score = i % 3 == 0 ? i / 7.0 : -i;
      zset.add(bytes("m" + i), score);
      reference.put(bytes("m" + i), score);
    }
    assertSameContents(reference, zset);
    zset.add(bytes("last"), 1);
    reference.put(bytes("last"), 1);
    assertEquals("skiplist", zset.encoding());
    assertSameContents(reference, zset);
    zset.removeRange(0, LISTPACK_MAX_ENTRIES - 10L);
    zset.listpackIfSmall();
    assertEquals("listpack", zset.encoding());
    List<Item> rest = reference.list().subList(LISTPACK_MAX_ENTRIES - 9, reference.list().size());
    assertEquals(rest.size(), zset.size());
    int i = 0;
    for (Node n = zset.first(); n != null; n = n.next(), i++) {
      assertArrayEquals(rest.get(i).member(), n.member());
      assertEquals(rest.get(i).score(), n.score());
    }
    zset.verify();
  }

  @Test
  void add_nanScore_isRefused() {
    RedisZSet zset = new RedisZSet();
    assertThrows(IllegalArgumentException.class, () -> zset.add(bytes("a"), Double.NaN));
    Node node = zset.add(bytes("a"), 1);
    assertThrows(IllegalArgumentException.class, () -> zset.setScore(node, Double.NaN));
  }

  @Test
  void ties_orderByMemberBytesUnsigned() {
    RedisZSet zset = new RedisZSet();
    zset.add(new byte[] {(byte) 0xff}, 1);
    zset.add(bytes("b"), 1);
    zset.add(bytes("a"), 1);
    zset.add(bytes("ab"), 1);
    zset.add(bytes("z"), 0);
    List<String> order = new ArrayList<>();
    for (Node n = zset.first(); n != null; n = n.next()) {
      order.add(text(n.member()));
    }
    assertEquals(List.of("z", "a", "ab", "b", "\u00ff"), order);
  }
}
