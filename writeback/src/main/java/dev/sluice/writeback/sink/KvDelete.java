package dev.sluice.writeback.sink;

import java.util.Arrays;

/** A key of a {@code store: kv} mapping was deleted: its row in {@code sluice.kv} goes. */
public record KvDelete(String mapping, byte[] key) implements WriteRecord {
  @Override
  public boolean equals(Object o) {
    return o instanceof KvDelete other
        && mapping.equals(other.mapping)
        && Arrays.equals(key, other.key);
  }

  @Override
  public int hashCode() {
    return mapping.hashCode() * 31 + Arrays.hashCode(key);
  }

  @Override
  public String toString() {
    return "KvDelete[" + mapping + ", " + key.length + "-byte key]";
  }
}
