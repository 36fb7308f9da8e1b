package dev.sluice.proxy.types;

import java.util.Arrays;

/**
 * Redis's HyperLogLog, byte for byte: the value is a plain string that GET returns and any Redis
 * reads back. A 16-byte header ("HYLL", encoding byte 0 = dense or 1 = sparse, three unused bytes,
 * the cached cardinality as 8 bytes little endian whose top bit set means "stale"), then the 16384
 * registers: dense as 6-bit fields packed from the least significant bit (12288 bytes), or sparse
 * as Redis's run-length opcodes ZERO, XZERO and VAL. New HLLs are sparse and become dense when a
 * register exceeds 32 or the sparse form would exceed {@value #SPARSE_MAX_BYTES} bytes.
 *
 * <p>Hashing (MurmurHash64A, seed 0xadc83b19), register updates and the cardinality estimator
 * (Ertl's improved estimator) follow Redis's hyperloglog.c, so PFCOUNT gives the same numbers.
 *
 * <p>An instance is a mutable working copy of one value; {@link #toBytes} gives the new value.
 *
 * <p>Corrupt sparse forms are read as Redis reads them, so that the same values are refused with
 * "INVALIDOBJ" and the others give the same counts: an XZERO opcode cut off by the end of the
 * string reads its second byte from past the end, where Redis's sds strings keep a terminating zero
 * (the working copy keeps that byte too, at {@code buf[len]}, with what Redis's in-place updates
 * leave there); and a run that takes the registers past 16384 makes the value corrupt, as it does
 * since the fix of CVE-2025-32023 (Redis 7.0.15 as Debian ships it, 7.2.10, 7.4.5).
 */
public final class HyperLogLog {
  static final int P = 14;
  static final int Q = 64 - P;
  public static final int REGISTERS = 1 << P;
  static final int P_MASK = REGISTERS - 1;
  static final int BITS = 6;
  static final int REGISTER_MAX = (1 << BITS) - 1;
  public static final int HEADER_SIZE = 16;
  public static final int DENSE_SIZE = HEADER_SIZE + (REGISTERS * BITS + 7) / 8;
  static final int DENSE = 0;
  static final int SPARSE = 1;
  static final int MAX_ENCODING = 1;

  /** Redis's default {@code hll-sparse-max-bytes}. */
  public static final int SPARSE_MAX_BYTES = 3000;

  static final int SPARSE_VAL_MAX_VALUE = 32;
  static final int SPARSE_VAL_MAX_LEN = 4;
  static final int SPARSE_ZERO_MAX_LEN = 64;
  static final int SPARSE_XZERO_MAX_LEN = 16384;
  static final double ALPHA_INF = 0.721347520444481703680; // 0.5 / ln(2)

  private static final long MURMUR_M = 0xc6a4a7935bd1e995L;
  private static final int MURMUR_R = 47;
  private static final long SEED = 0xadc83b19L;

  /** The value's bytes, then at least one more: the byte past the end of an sds string. */
  private byte[] buf;

  private int len;

  /** Scratch for the at most five bytes that replace one sparse opcode. */
  private final byte[] seq = new byte[5];

  private HyperLogLog(byte[] buf, int len) {
    this.buf = buf;
    this.len = len;
  }

  /** A new, empty HLL in the sparse encoding: the header and XZERO:16384. */
  public static HyperLogLog create() {
    byte[] b = new byte[HEADER_SIZE + 3];
    b[0] = 'H';
    b[1] = 'Y';
    b[2] = 'L';
    b[3] = 'L';
    b[4] = SPARSE;
    setXzero(b, HEADER_SIZE, REGISTERS);
    return new HyperLogLog(b, HEADER_SIZE + 2);
  }

  /** A working copy of a stored value already checked with {@link #isValid}. */
  public static HyperLogLog of(byte[] value) {
    return new HyperLogLog(Arrays.copyOf(value, value.length + 1), value.length);
  }

  /**
   * Whether a string is an HLL as Redis's isHLLObjectOrReply checks it: the magic, a known encoding
   * and, for dense, the exact length.
   */
  public static boolean isValid(byte[] value) {
    if (value.length < HEADER_SIZE
        || value[0] != 'H'
        || value[1] != 'Y'
        || value[2] != 'L'
        || value[3] != 'L') {
      return false;
    }
    int encoding = value[4] & 0xff;
    if (encoding > MAX_ENCODING) {
      return false;
    }
    return encoding != DENSE || value.length == DENSE_SIZE;
  }

  public static boolean isDense(byte[] value) {
    return value[4] == DENSE;
  }

  /** The cached cardinality, or -1 when it is stale. */
  public static long cachedCount(byte[] value) {
    if ((value[15] & 0x80) != 0) {
      return -1;
    }
    long card = 0;
    for (int i = 7; i >= 0; i--) {
      card = (card << 8) | (value[8 + i] & 0xff);
    }
    return card;
  }

  /** A copy of {@code value} with {@code card} as its cached cardinality. */
  public static byte[] withCachedCount(byte[] value, long card) {
    byte[] copy = value.clone();
    for (int i = 0; i < 8; i++) {
      copy[8 + i] = (byte) (card >>> (8 * i));
    }
    return copy;
  }

  /** The new value: the working copy's bytes at their exact length. */
  public byte[] toBytes() {
    return Arrays.copyOf(buf, len);
  }

  public boolean isDense() {
    return buf[4] == DENSE;
  }

  /**
   * Whether adding {@code element} would raise a register of a stored dense HLL, so PFADD can skip
   * copying the 12 KB value when nothing changes.
   */
  public static boolean denseWouldChange(byte[] value, byte[] element) {
    int pattern = patternOf(element);
    return (pattern & 0xff) > denseGet(value, pattern >>> 8);
  }

  /** Marks the cached cardinality stale. */
  public void invalidateCache() {
    buf[15] |= (byte) 0x80;
  }

  // ---- hashing ----

  /** MurmurHash2, 64-bit version, as Redis's endian-neutral MurmurHash64A. */
  public static long murmurHash64A(byte[] key, long seed) {
    int length = key.length;
    long h = (seed & 0xffffffffL) ^ (length * MURMUR_M);
    int end = length - (length & 7);
    for (int i = 0; i < end; i += 8) {
      long k =
          (key[i] & 0xffL)
              | (key[i + 1] & 0xffL) << 8
              | (key[i + 2] & 0xffL) << 16
              | (key[i + 3] & 0xffL) << 24
              | (key[i + 4] & 0xffL) << 32
              | (key[i + 5] & 0xffL) << 40
              | (key[i + 6] & 0xffL) << 48
              | (key[i + 7] & 0xffL) << 56;
      k *= MURMUR_M;
      k ^= k >>> MURMUR_R;
      k *= MURMUR_M;
      h ^= k;
      h *= MURMUR_M;
    }
    int rest = length & 7;
    if (rest > 0) {
      for (int i = rest - 1; i >= 0; i--) {
        h ^= (key[end + i] & 0xffL) << (8 * i);
      }
      h *= MURMUR_M;
    }
    h ^= h >>> MURMUR_R;
    h *= MURMUR_M;
    h ^= h >>> MURMUR_R;
    return h;
  }

  /**
   * Redis's hllPatLen: the register an element maps to (low 14 bits of the hash) and the length of
   * the 000..1 pattern in the remaining bits, packed as {@code index << 8 | count}.
   */
  static int patternOf(byte[] element) {
    long hash = murmurHash64A(element, SEED);
    int index = (int) (hash & P_MASK);
    hash >>>= P;
    hash |= 1L << Q; // the loop ends and count <= Q + 1
    int count = Long.numberOfTrailingZeros(hash) + 1;
    return index << 8 | count;
  }

  // ---- adding ----

  /**
   * Adds an element: 1 if a register changed, 0 if not, -1 if the sparse form is corrupt. May
   * convert the sparse form to dense.
   */
  public int add(byte[] element) {
    int pattern = patternOf(element);
    return set(pattern >>> 8, pattern & 0xff);
  }

  /** Raises register {@code index} to {@code count} if lower; as {@link #add}. */
  public int set(int index, int count) {
    if (isDense()) {
      return denseSet(buf, index, count) ? 1 : 0;
    }
    return sparseSet(index, count);
  }

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

  private static boolean denseSet(byte[] b, int index, int count) {
    if (count > denseGet(b, index)) {
      denseSetRegister(b, index, count);
      return true;
    }
    return false;
  }

  /**
   * The sparse update of Redis's hllSparseSet: find the opcode covering the register, split it into
   * at most five bytes, merge adjacent equal VALs, or promote to dense.
   */
  private int sparseSet(int index, int count) {
    if (count > SPARSE_VAL_MAX_VALUE) {
      return promote(index, count);
    }
    // room for the longest replacement (3 more bytes) and the byte past the end
    ensureCapacity(len + 4);
    int end = len;
    int p = HEADER_SIZE;
    int first = 0;
    int prev = -1;
    int span = 0;
    while (p < end) {
      int oplen = 1;
      int op = buf[p] & 0xff;
      if (isZero(op)) {
        span = zeroLen(op);
      } else if (isVal(op)) {
        span = valLen(op);
      } else {
        span = xzeroLen(op, buf[p + 1] & 0xff); // at the end: the byte past it, as Redis
        oplen = 2;
      }
      if (index <= first + span - 1) {
        break;
      }
      prev = p;
      p += oplen;
      first += span;
    }
    if (span == 0 || p >= end) {
      return -1;
    }
    int op = buf[p] & 0xff;
    int next = isXzero(op) ? p + 2 : p + 1;
    if (next >= end) {
      next = -1;
    }
    boolean zero = isZero(op);
    boolean xzero = isXzero(op);
    int runlen;
    if (zero) {
      runlen = zeroLen(op);
    } else if (xzero) {
      runlen = xzeroLen(op, buf[p + 1] & 0xff);
    } else {
      runlen = valLen(op);
    }
    boolean updated = false;
    if (!zero && !xzero) {
      int oldcount = valValue(op);
      if (oldcount >= count) {
        return 0;
      }
      if (runlen == 1) {
        buf[p] = val(count, 1);
        updated = true;
      }
    }
    if (!updated && zero && runlen == 1) {
      buf[p] = val(count, 1);
      updated = true;
    }
    if (!updated) {
      int n = 0;
      int last = first + span - 1;
      if (zero || xzero) {
        if (index != first) {
          n = putZeros(seq, n, index - first);
        }
        seq[n++] = val(count, 1);
        if (index != last) {
          n = putZeros(seq, n, last - index);
        }
      } else {
        int curval = valValue(op);
        if (index != first) {
          seq[n++] = val(curval, index - first);
        }
        seq[n++] = val(count, 1);
        if (index != last) {
          seq[n++] = val(curval, last - index);
        }
      }
      int oldlen = xzero ? 2 : 1;
      int delta = n - oldlen;
      if (delta > 0 && len + delta > SPARSE_MAX_BYTES) {
        return promote(index, count);
      }
      if (delta != 0 && next >= 0) {
        System.arraycopy(buf, next, buf, next + delta, end - next);
      }
      len += delta;
      buf[len] = 0;
      // an XZERO cut off by the end was one byte long: its replacement's last byte falls past the
      // new end, where Redis writes it too
      System.arraycopy(seq, 0, buf, p, n);
      end += delta;
    }
    // merge adjacent VAL opcodes with the same value, scanning up to five opcodes from prev
    p = prev >= 0 ? prev : HEADER_SIZE;
    int scan = 5;
    while (p < end && scan-- > 0) {
      int op1 = buf[p] & 0xff;
      if (isXzero(op1)) {
        p += 2;
        continue;
      } else if (isZero(op1)) {
        p++;
        continue;
      }
      if (p + 1 < end && isVal(buf[p + 1] & 0xff)) {
        int op2 = buf[p + 1] & 0xff;
        int v1 = valValue(op1);
        if (v1 == valValue(op2)) {
          int merged = valLen(op1) + valLen(op2);
          if (merged <= SPARSE_VAL_MAX_LEN) {
            buf[p + 1] = val(v1, merged);
            System.arraycopy(buf, p + 1, buf, p, end - p);
            len--;
            buf[len] = 0;
            end--;
            continue;
          }
        }
      }
      p++;
    }
    invalidateCache();
    return 1;
  }

  private int promote(int index, int count) {
    if (!toDense()) {
      return -1;
    }
    denseSet(buf, index, count);
    return 1;
  }

  /**
   * Converts a sparse working copy to dense (Redis's hllSparseToDense), keeping the header and
   * cached cardinality; false if the sparse form is corrupt.
   */
  public boolean toDense() {
    if (isDense()) {
      return true;
    }
    byte[] dense = new byte[DENSE_SIZE + 1];
    System.arraycopy(buf, 0, dense, 0, HEADER_SIZE);
    dense[4] = DENSE;
    int idx = 0;
    int p = HEADER_SIZE;
    while (p < len) {
      int op = buf[p] & 0xff;
      int runlen = runLength(buf, p);
      if (runlen + idx > REGISTERS) {
        return false;
      }
      if (isVal(op)) {
        int value = valValue(op);
        while (runlen-- > 0) {
          denseSetRegister(dense, idx++, value);
        }
      } else {
        idx += runlen;
      }
      p += isXzero(op) ? 2 : 1;
    }
    if (idx != REGISTERS) {
      return false;
    }
    buf = dense;
    len = DENSE_SIZE;
    return true;
  }

  private void ensureCapacity(int needed) {
    if (buf.length < needed) {
      buf = Arrays.copyOf(buf, Math.max(needed, Math.min(buf.length * 2, SPARSE_MAX_BYTES + 4)));
    }
  }

  /**
   * The number of registers the sparse opcode at {@code p} covers; an XZERO's second byte may be
   * the one past the end of {@code b}'s value: 0 for a stored value, as in an sds string.
   */
  private static int runLength(byte[] b, int p) {
    int op = b[p] & 0xff;
    if (isZero(op)) {
      return zeroLen(op);
    }
    if (isVal(op)) {
      return valLen(op);
    }
    return xzeroLen(op, p + 1 < b.length ? b[p + 1] & 0xff : 0);
  }

  // ---- reading registers ----

  /**
   * Raises {@code max[i]} to register i of a stored HLL (Redis's hllMerge); false if a sparse form
   * is corrupt.
   */
  public static boolean mergeInto(byte[] max, byte[] value) {
    if (isDense(value)) {
      for (int i = 0; i < REGISTERS; i++) {
        int v = denseGet(value, i);
        if (v > max[i]) {
          max[i] = (byte) v;
        }
      }
      return true;
    }
    int i = 0;
    int p = HEADER_SIZE;
    while (p < value.length) {
      int op = value[p] & 0xff;
      int runlen = runLength(value, p);
      if (runlen + i > REGISTERS) {
        return false;
      }
      if (isVal(op)) {
        int v = valValue(op);
        while (runlen-- > 0) {
          if (v > max[i]) {
            max[i] = (byte) v;
          }
          i++;
        }
      } else {
        i += runlen;
      }
      p += isXzero(op) ? 2 : 1;
    }
    return i == REGISTERS;
  }

  /**
   * The estimated cardinality of a stored HLL, or -1 if its sparse form is corrupt (-1 is no
   * estimate: those are non-negative, or Long.MIN_VALUE as {@link #estimate} says).
   */
  public static long count(byte[] value) {
    int[] histogram = new int[64];
    if (isDense(value)) {
      for (int i = 0; i < REGISTERS; i++) {
        histogram[denseGet(value, i)]++;
      }
    } else {
      int idx = 0;
      int p = HEADER_SIZE;
      while (p < value.length) {
        int op = value[p] & 0xff;
        int runlen = runLength(value, p);
        if (runlen + idx > REGISTERS) {
          return -1;
        }
        histogram[isVal(op) ? valValue(op) : 0] += runlen;
        idx += runlen;
        p += isXzero(op) ? 2 : 1;
      }
      if (idx != REGISTERS) {
        return -1;
      }
    }
    return estimate(histogram);
  }

  /** The estimated cardinality of raw registers, one byte each (PFCOUNT of several keys). */
  public static long countRaw(byte[] registers) {
    int[] histogram = new int[64];
    for (byte register : registers) {
      histogram[register]++;
    }
    return estimate(histogram);
  }

  /**
   * Redis's hllCount from the register histogram: "New cardinality estimation algorithms for
   * HyperLogLog sketches", Otmar Ertl, arXiv:1702.01284. The floating point operations are in
   * Redis's order so the result is the same to the last digit.
   */
  static long estimate(int[] histogram) {
    double m = REGISTERS;
    double z = m * tau((m - histogram[Q + 1]) / m);
    for (int j = Q; j >= 1; --j) {
      z += histogram[j];
      z *= 0.5;
    }
    z += m * sigma(histogram[0] / m);
    double estimate = ALPHA_INF * m * m / z;
    // llroundl of what does not fit a long long (z is 0 when every register is past 50) is
    // LLONG_MIN on x86, which PFCOUNT then prints
    return estimate < 0x1p63 ? Math.round(estimate) : Long.MIN_VALUE;
  }

  static double sigma(double x) {
    if (x == 1.) {
      return Double.POSITIVE_INFINITY;
    }
    double zPrime;
    double y = 1;
    double z = x;
    do {
      x *= x;
      zPrime = z;
      z += x * y;
      y += y;
    } while (zPrime != z);
    return z;
  }

  static double tau(double x) {
    if (x == 0. || x == 1.) {
      return 0.;
    }
    double zPrime;
    double y = 1.0;
    double z = 1 - x;
    do {
      x = Math.sqrt(x);
      zPrime = z;
      y *= 0.5;
      double d = 1 - x;
      z -= d * d * y; // pow(1 - x, 2) is exactly (1 - x) * (1 - x), both correctly rounded
    } while (zPrime != z);
    return z / 3;
  }

  // ---- sparse opcodes ----

  private static boolean isZero(int op) {
    return (op & 0xc0) == 0;
  }

  private static boolean isXzero(int op) {
    return (op & 0xc0) == 0x40;
  }

  private static boolean isVal(int op) {
    return (op & 0x80) != 0;
  }

  private static int zeroLen(int op) {
    return (op & 0x3f) + 1;
  }

  private static int xzeroLen(int op, int next) {
    return (((op & 0x3f) << 8) | next) + 1;
  }

  private static int valValue(int op) {
    return ((op >>> 2) & 0x1f) + 1;
  }

  private static int valLen(int op) {
    return (op & 0x3) + 1;
  }

  private static byte val(int value, int length) {
    return (byte) (((value - 1) << 2 | (length - 1)) | 0x80);
  }

  private static void setXzero(byte[] b, int at, int length) {
    int l = length - 1;
    b[at] = (byte) ((l >>> 8) | 0x40);
    b[at + 1] = (byte) (l & 0xff);
  }

  /** A run of zero registers as ZERO (up to 64) or XZERO; returns the next free position. */
  private static int putZeros(byte[] seq, int n, int length) {
    if (length > SPARSE_ZERO_MAX_LEN) {
      setXzero(seq, n, length);
      return n + 2;
    }
    seq[n] = (byte) (length - 1);
    return n + 1;
  }
}
