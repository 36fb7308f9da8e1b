package dev.sluice.proxy.types;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.proxy.types.RedisZSet.Node;
import dev.sluice.proxy.types.ZSetNodes.Node2;
import dev.sluice.proxy.types.ZSetNodes.NodeN;
import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.GraphLayout;

/** The size estimates of sorted sets and hashes against the object layouts of this JVM (JOL). */
class ValueLayoutTest {
  private static long size(Class<?> type) {
    return ClassLayout.parseClass(type).instanceSize();
  }

  @Test
  void setAndListBytes_matchTheLayoutOfThisJvm() {
    assertEquals(size(RedisZSet.class), RedisZSet.SET_BYTES);
    assertEquals(size(ZSetSkipList.class), ZSetSkipList.LIST_BYTES);
  }

  @Test
  void nodeBytes_matchTheLayoutOfThisJvmAtEveryLevel() {
    byte[] member = new byte[5];
    long memberBytes = GraphLayout.parseInstance((Object) member).totalSize();
    assertEquals(size(Node.class) + memberBytes, ZSetNodes.nodeBytes(new Node(member, 0, 1)));
    assertEquals(size(Node2.class) + memberBytes, ZSetNodes.nodeBytes(new Node2(member, 0, 1)));
    for (int level = 3; level <= ZSetNodes.FIELD_LEVELS; level++) {
      Node node = ZSetNodes.newNode(member, 0, 1, level);
      assertEquals(level, node.level());
      assertEquals(
          size(node.getClass()) + memberBytes, ZSetNodes.nodeBytes(node), "level " + level);
    }
    NodeN high = new NodeN(member, 0, 1, 2);
    assertEquals(ZSetNodes.FIELD_LEVELS + 2, high.level());
    assertEquals(GraphLayout.parseInstance(high).totalSize(), ZSetNodes.nodeBytes(high));
  }

  @Test
  void estimatedBytes_listpackAndSkiplist_matchTheirObjectGraphs() {
    RedisZSet packed = new RedisZSet();
    packed.add("member:000000000001".getBytes(), 1);
    packed.add("other".getBytes(), 2.5);
    assertEquals(GraphLayout.parseInstance(packed).totalSize(), packed.estimatedBytes());
    RedisZSet list = RedisZSet.withHint(RedisZSet.LISTPACK_MAX_ENTRIES + 1, 1);
    for (int i = 0; i < 300; i++) {
      list.add(("m" + i).getBytes(), i);
    }
    assertEquals(GraphLayout.parseInstance(list).totalSize(), list.estimatedBytes());
  }

  @Test
  void hashAndTableBytes_matchTheLayoutOfThisJvm() {
    assertEquals(size(RedisHash.class), RedisHash.OBJECT_BYTES);
    assertEquals(size(ByteTable.class), ByteTable.OBJECT_BYTES);
    assertEquals(size(ByteTable.Node.class), ByteTable.Node.BYTES);
    assertEquals(size(ByteTable.ValueNode.class), ByteTable.ValueNode.BYTES);
  }

  @Test
  void estimatedBytes_hashInBothEncodings_matchesItsObjectGraph() {
    RedisHash small = new RedisHash();
    for (int i = 0; i < 10; i++) {
      small.put(("f" + i).getBytes(), ("v" + i).getBytes());
    }
    assertEquals(GraphLayout.parseInstance(small).totalSize(), small.estimatedBytes());
    RedisHash large = new RedisHash();
    for (int i = 0; i < 300; i++) {
      large.put(("field" + i).getBytes(), ("value" + i).getBytes());
    }
    assertEquals("hashtable", large.encoding());
    assertEquals(GraphLayout.parseInstance(large).totalSize(), large.estimatedBytes());
  }
}
