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
 * <p>An instance is a mutable working copy of one value; {@link #toBytes} gives the new value. The
 * encodings' code is in {@link HyperLogLogSparse} and {@link HyperLogLogDense}, the estimator in
 * {@link HyperLogLogEstimator}.
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
    HyperLogLogSparse.setXzero(b, HEADER_SIZE, REGISTERS);
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
    return (pattern & 0xff) > HyperLogLogDense.denseGet(value, pattern >>> 8);
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
      return HyperLogLogDense.denseSet(buf, index, count) ? 1 : 0;
    }
    return sparseSet(index, count);
  }

  /** Redis's hllSparseSet on the working copy: see {@link HyperLogLogSparse#set}. */
  private int sparseSet(int index, int count) {
    if (count > HyperLogLogSparse.VAL_MAX_VALUE) {
      return promote(index, count);
    }
    // room for the longest replacement (3 more bytes) and the byte past the end
    ensureCapacity(len + 4);
    int result = HyperLogLogSparse.set(buf, len, seq, index, count);
    if (result == HyperLogLogSparse.NEEDS_DENSE) {
      return promote(index, count);
    } else if (result == HyperLogLogSparse.CORRUPT) {
      return -1;
    } else if (result == HyperLogLogSparse.UNCHANGED) {
      return 0;
    }
    len = result;
    invalidateCache();
    return 1;
  }

  private int promote(int index, int count) {
    if (!toDense()) {
      return -1;
    }
    HyperLogLogDense.denseSet(buf, index, count);
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
    if (!HyperLogLogSparse.toDense(buf, len, dense)) {
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

  // ---- reading registers ----

  /**
   * Raises {@code max[i]} to register i of a stored HLL (Redis's hllMerge); false if a sparse form
   * is corrupt.
   */
  public static boolean mergeInto(byte[] max, byte[] value) {
    if (isDense(value)) {
      HyperLogLogDense.mergeInto(max, value);
      return true;
    }
    return HyperLogLogSparse.mergeInto(max, value);
  }

  /**
   * The estimated cardinality of a stored HLL, or -1 if its sparse form is corrupt (-1 is no
   * estimate: those are non-negative, or Long.MIN_VALUE as {@link HyperLogLogEstimator#estimate}
   * says).
   */
  public static long count(byte[] value) {
    int[] histogram = new int[64];
    if (isDense(value)) {
      HyperLogLogDense.histogram(value, histogram);
    } else if (!HyperLogLogSparse.histogram(value, histogram)) {
      return -1;
    }
    return HyperLogLogEstimator.estimate(histogram);
  }

  /** The estimated cardinality of raw registers, one byte each (PFCOUNT of several keys). */
  public static long countRaw(byte[] registers) {
    int[] histogram = new int[64];
    for (byte register : registers) {
      histogram[register]++;
    }
    return HyperLogLogEstimator.estimate(histogram);
  }

  // ---- PFDEBUG ----

  /** PFDEBUG DECODE: the opcodes of a stored sparse value (see {@link HyperLogLogSparse}). */
  public static String decodeSparse(byte[] value) {
    return HyperLogLogSparse.decode(value);
  }

  /** The registers of a stored dense value, one byte each (PFDEBUG GETREG). */
  public static byte[] denseRegisters(byte[] value) {
    byte[] registers = new byte[REGISTERS];
    HyperLogLogDense.mergeInto(registers, value);
    return registers;
  }
}
