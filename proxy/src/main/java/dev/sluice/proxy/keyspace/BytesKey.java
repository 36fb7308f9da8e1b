package dev.sluice.proxy.keyspace;

import java.util.Arrays;

/** A byte-array key with value equality, for the maps beside the key table. */
public record BytesKey(byte[] bytes) {
  @Override
  public boolean equals(Object other) {
    return other instanceof BytesKey that && Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
  }
}
