package dev.sluice.proxy.lookaside;

import dev.sluice.proxy.types.RedisHash;
import dev.sluice.proxy.types.RedisList;
import dev.sluice.proxy.types.RedisSet;
import dev.sluice.proxy.types.RedisZSet;
import java.util.List;

/**
 * What one query produced, immutable: every connection that waited for the same load (single
 * flight) gets its own fresh value from {@link #materialize()}, since commands change values in
 * place.
 */
sealed interface LoadedValue {
  Object materialize();

  /** A string value (GET): JSON text. */
  record Text(byte[] bytes) implements LoadedValue {
    @Override
    public Object materialize() {
      return bytes.clone();
    }
  }

  /** A hash: field names and values in column order (NULL columns left out). */
  record Hash(List<byte[]> fields, List<byte[]> values) implements LoadedValue {
    @Override
    public Object materialize() {
      RedisHash hash = new RedisHash();
      hash.reserve(fields.size());
      for (int i = 0; i < fields.size(); i++) {
        hash.put(fields.get(i), values.get(i));
      }
      return hash;
    }
  }

  /** A list: members in result order. */
  record ListValue(List<byte[]> members) implements LoadedValue {
    @Override
    public Object materialize() {
      RedisList list = new RedisList();
      for (byte[] member : members) {
        list.addLast(member);
      }
      return list;
    }
  }

  /** A set: members (duplicates collapse). */
  record SetValue(List<byte[]> members) implements LoadedValue {
    @Override
    public Object materialize() {
      RedisSet set = new RedisSet();
      for (byte[] member : members) {
        set.add(member);
      }
      return set;
    }
  }

  /** A sorted set: members and their scores. */
  record SortedSet(List<byte[]> members, double[] scores) implements LoadedValue {
    @Override
    public Object materialize() {
      RedisZSet zset = RedisZSet.withHint(members.size(), 16);
      for (int i = 0; i < members.size(); i++) {
        zset.add(members.get(i), scores[i]);
      }
      return zset;
    }
  }

  /**
   * A key of a kv mapping as {@code sluice.kv} keeps it: Redis type, serialised value and absolute
   * expiry in epoch ms (0: none).
   */
  record Kv(String type, byte[] bytes, long expireAtMillis) implements LoadedValue {
    @Override
    public Object materialize() {
      return dev.sluice.proxy.durable.KvValues.decode(type, bytes);
    }

    boolean expiredAt(long nowMillis) {
      return expireAtMillis > 0 && expireAtMillis <= nowMillis;
    }
  }
}
