package dev.sluice.proxy.types;

import static dev.sluice.proxy.types.HyperLogLog.BITS;
import static dev.sluice.proxy.types.HyperLogLog.HEADER_SIZE;
import static dev.sluice.proxy.types.HyperLogLog.REGISTERS;
import static dev.sluice.proxy.types.HyperLogLog.REGISTER_MAX;

/**
 * The dense encoding of a {@link HyperLogLog}: 16384 registers of 6 bits each, packed from the
 * least significant bit after the 16-byte header, as Redis's HLL_DENSE_GET_REGISTER and
 * HLL_DENSE_SET_REGISTER.
 */
final class HyperLogLogDense {
  private HyperLogLogDense() {}

  static int denseGet(byte[] b, int regnum) {
    int bit = regnum * BITS;
    int at = HEADER_SIZE + (bit >>> 3);
    int fb = bit & 7;
    int b0 = b[at] & 0xff;
    int b1 = at + 1 < b.length ? b[at + 1] & 0xff : 0;
    return ((b0 >>> fb) | (b1 << (8 - fb))) & REGISTER_MAX;
  }

  static void denseSetRegister(byte[] b, int regnum, int value) {
    int bit = regnum * BITS;
    int at = HEADER_SIZE + (bit >>> 3);
    int fb = bit & 7;
    int fb8 = 8 - fb;
    b[at] = (byte) ((b[at] & ~(REGISTER_MAX << fb)) | (value << fb));
    if (at + 1 < b.length) {
      b[at + 1] = (byte) ((b[at + 1] & ~(REGISTER_MAX >>> fb8)) | (value >>> fb8));
    }
  }

  static boolean denseSet(byte[] b, int index, int count) {
    if (count > denseGet(b, index)) {
      denseSetRegister(b, index, count);
      return true;
    }
    return false;
  }

  /** Raises {@code max[i]} to register i of a stored dense HLL. */
  static void mergeInto(byte[] max, byte[] value) {
    for (int i = 0; i < REGISTERS; i++) {
      int v = denseGet(value, i);
      if (v > max[i]) {
        max[i] = (byte) v;
      }
    }
  }

  /** Counts the registers of a stored dense HLL by value into {@code histogram}. */
  static void histogram(byte[] value, int[] histogram) {
    for (int i = 0; i < REGISTERS; i++) {
      histogram[denseGet(value, i)]++;
    }
  }
}
