package dev.sluice.proxy.types.stream;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;

/**
 * A stream's consumer groups by name, in byte order as Redis's cgroups rax, and their share of the
 * stream's heap estimate. The map is made with the first group, as Redis's rax is.
 */
final class StreamGroups {
  private TreeMap<byte[], ConsumerGroup> byName;
  private long bytes;

  long bytes() {
    return bytes;
  }

  void bytesChanged(long delta) {
    bytes += delta;
  }

  ConsumerGroup create(RedisStream stream, byte[] name, StreamId lastDelivered, long entriesRead) {
    if (byName != null && byName.containsKey(name)) {
      throw new StreamException(StreamException.BUSYGROUP);
    }
    return add(new ConsumerGroup(stream, name.clone(), lastDelivered, entriesRead));
  }

  private ConsumerGroup add(ConsumerGroup group) {
    if (byName == null) {
      byName = new TreeMap<>(Arrays::compareUnsigned);
      bytes += StreamMemory.TREE_MAP;
    }
    byName.put(group.name(), group);
    bytes += group.bytes();
    return group;
  }

  ConsumerGroup get(byte[] name) {
    return byName == null ? null : byName.get(name);
  }

  boolean destroy(byte[] name) {
    ConsumerGroup group = byName == null ? null : byName.remove(name);
    if (group == null) {
      return false;
    }
    bytes -= group.bytes();
    group.detach();
    return true;
  }

  Collection<ConsumerGroup> all() {
    return byName == null ? List.of() : Collections.unmodifiableCollection(byName.values());
  }

  int count() {
    return byName == null ? 0 : byName.size();
  }

  /** Every group copied into {@code target}'s own groups (COPY). */
  void copyInto(RedisStream target, StreamGroups copy) {
    if (byName != null) {
      for (ConsumerGroup group : byName.values()) {
        copy.add(group.copyInto(target));
      }
    }
  }

  /** The estimate recomputed from scratch, for tests of the incremental bookkeeping. */
  long recountBytes() {
    long total = byName == null ? 0 : StreamMemory.TREE_MAP;
    for (ConsumerGroup group : all()) {
      total += group.recountBytes();
    }
    return total;
  }
}
