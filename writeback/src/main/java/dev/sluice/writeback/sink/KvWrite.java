package dev.sluice.writeback.sink;

import java.util.Arrays;

/**
 * The state of a key of a {@code store: kv} mapping after a write: its Redis type ({@code string},
 * {@code hash}, {@code list}, {@code set}, {@code zset}), its value serialised by Sluice, and its
 * absolute expiry in epoch milliseconds (0: none). Written to {@code sluice.kv}, replacing the
 * key's row.
 */
public record KvWrite(String mapping, byte[] key, String type, byte[] value, long expireAtMillis)
    implements WriteRecord {
  @Override
  public boolean equals(Object o) {
    return o instanceof KvWrite other
        && mapping.equals(other.mapping)
        && Arrays.equals(key, other.key)
        && type.equals(other.type)
        && Arrays.equals(value, other.value)
        && expireAtMillis == other.expireAtMillis;
  }

  @Override
  public int hashCode() {
    return ((mapping.hashCode() * 31 + Arrays.hashCode(key)) * 31 + Arrays.hashCode(value)) * 31
        + Long.hashCode(expireAtMillis);
  }

  @Override
  public String toString() {
    return "KvWrite[" + mapping + ", " + key.length + "-byte key, " + type + "]";
  }
}
