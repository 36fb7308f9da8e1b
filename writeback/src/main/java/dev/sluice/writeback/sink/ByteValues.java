package dev.sluice.writeback.sink;

import java.util.Arrays;
import java.util.List;

/** Equality and hashing of value lists whose elements are byte arrays (null for SQL NULL). */
final class ByteValues {
  private ByteValues() {}

  static boolean equal(List<byte[]> a, List<byte[]> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!Arrays.equals(a.get(i), b.get(i))) {
        return false;
      }
    }
    return true;
  }

  static int hash(int seed, List<byte[]> values) {
    int h = seed;
    for (byte[] v : values) {
      h = h * 31 + Arrays.hashCode(v);
    }
    return h;
  }
}
