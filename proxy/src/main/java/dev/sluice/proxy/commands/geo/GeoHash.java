package dev.sluice.proxy.commands.geo;

/**
 * Redis's geohash (geohash.c), bit for bit.
 *
 * <p>Design note. A geo set is an ordinary sorted set whose scores are 52-bit interleaved
 * geohashes: longitude and latitude are each scaled to 26 bits over Redis's ranges (longitude
 * -180..180, latitude -85.05112878..85.05112878, the limits of Web Mercator), and the bits
 * interleaved with latitude in the even positions. The score is that 52-bit integer held in a
 * double, which is exact below 2^53. Nothing else is stored: ZRANGE WITHSCORES over a geo key shows
 * Redis's own numbers, and a set written by ZADD with such scores is a geo set. Because nearby
 * points share a hash prefix, the points inside one geohash cell of {@code step} bits per axis are
 * exactly the scores in [cell << (52 - 2 step), (cell + 1) << (52 - 2 step)): a search is a few
 * score ranges of the sorted set ({@link GeoSearchArea}), filtered by true distance ({@link
 * GeoShape}).
 *
 * <p>All arithmetic is Redis's in the same order, in doubles (x86-64 C uses SSE doubles too), and
 * the unsigned C integers are longs shifted with {@code >>>}, so encoding, decoding and the
 * neighbour cells give Redis's values exactly; the cast of a double to C's uint32_t/uint64_t is
 * Java's truncating cast for the values that occur here.
 */
final class GeoHash {
  private GeoHash() {}

  static final double LAT_MIN = -85.05112878;
  static final double LAT_MAX = 85.05112878;
  static final double LONG_MIN = -180;
  static final double LONG_MAX = 180;

  /** Bits per axis of a stored score: 26, so 52 bits in all. */
  static final int STEP_MAX = 26;

  private static final String ALPHABET = "0123456789bcdefghjkmnpqrstuvwxyz";

  /** Whether Redis accepts the pair (extractLongLatOrReply's check). */
  static boolean validLongLat(double longitude, double latitude) {
    return !(longitude < LONG_MIN
        || longitude > LONG_MAX
        || latitude < LAT_MIN
        || latitude > LAT_MAX);
  }

  /** The score GEOADD stores: geohashEncodeWGS84 at 26 steps, aligned to 52 bits. */
  static long score(double longitude, double latitude) {
    return align52(encode(longitude, latitude, STEP_MAX), STEP_MAX);
  }

  /**
   * geohashEncode over Redis's ranges: the cell of {@code step} bits per axis holding the point;
   * the caller has checked the point (validLongLat).
   */
  static long encode(double longitude, double latitude, int step) {
    return encode(longitude, latitude, step, LONG_MIN, LONG_MAX, LAT_MIN, LAT_MAX);
  }

  private static long encode(
      double longitude,
      double latitude,
      int step,
      double longMin,
      double longMax,
      double latMin,
      double latMax) {
    double latOffset = (latitude - latMin) / (latMax - latMin);
    double longOffset = (longitude - longMin) / (longMax - longMin);
    latOffset *= (double) (1L << step);
    longOffset *= (double) (1L << step);
    return interleave((long) latOffset & 0xFFFFFFFFL, (long) longOffset & 0xFFFFFFFFL);
  }

  /** geohashAlign52Bits: the cell's bits shifted to the top of the 52. */
  static long align52(long bits, int step) {
    return bits << (52 - step * 2);
  }

  /**
   * decodeGeohash: the centre of the 26-step cell a score names, clamped to Redis's ranges, as
   * {longitude, latitude}. Redis converts the score to uint64_t; scores outside 0..2^64 (set by
   * ZADD) give what x86-64's conversion gives.
   */
  static double[] decode(double score) {
    double[] area = decodeArea(toUint64(score), STEP_MAX);
    double longitude = (area[0] + area[1]) / 2;
    longitude = Math.max(LONG_MIN, Math.min(LONG_MAX, longitude));
    double latitude = (area[2] + area[3]) / 2;
    latitude = Math.max(LAT_MIN, Math.min(LAT_MAX, latitude));
    return new double[] {longitude, latitude};
  }

  /** geohashDecode: the cell's {longMin, longMax, latMin, latMax}. */
  static double[] decodeArea(long bits, int step) {
    long separated = deinterleave(bits); // latitude in the low 32 bits, longitude in the high
    long ilato = separated & 0xFFFFFFFFL;
    long ilono = separated >>> 32;
    double latScale = LAT_MAX - LAT_MIN;
    double longScale = LONG_MAX - LONG_MIN;
    double cells = (double) (1L << step);
    return new double[] {
      LONG_MIN + (ilono * 1.0 / cells) * longScale,
      LONG_MIN + ((ilono + 1) * 1.0 / cells) * longScale,
      LAT_MIN + (ilato * 1.0 / cells) * latScale,
      LAT_MIN + ((ilato + 1) * 1.0 / cells) * latScale
    };
  }

  /**
   * GEOHASH's 11 characters: the point re-encoded over the standard ranges (-180..180, -90..90),
   * since Redis's own latitude range is not the standard one; the 11th character stands for bits
   * Redis does not have and is always '0'.
   */
  static String standardGeohash(double score) {
    double[] xy = decode(score);
    long bits = encode(xy[0], xy[1], STEP_MAX, -180, 180, -90, 90);
    char[] out = new char[11];
    for (int i = 0; i < 11; i++) {
      int index = i == 10 ? 0 : (int) ((bits >>> (52 - (i + 1) * 5)) & 0x1f);
      out[i] = ALPHABET.charAt(index);
    }
    return new String(out);
  }

  /**
   * geohashNeighbors: the eight cells around {@code bits} in Redis's order north, south, east,
   * west, north-east, north-west, south-east, south-west (the order searches visit them in).
   */
  static long[] neighbors(long bits, int step) {
    return new long[] {
      moveY(bits, step, 1),
      moveY(bits, step, -1),
      moveX(bits, step, 1),
      moveX(bits, step, -1),
      moveY(moveX(bits, step, 1), step, 1),
      moveY(moveX(bits, step, -1), step, 1),
      moveY(moveX(bits, step, 1), step, -1),
      moveY(moveX(bits, step, -1), step, -1)
    };
  }

  private static long moveX(long bits, int step, int d) {
    return move(bits, step, d, 0xaaaaaaaaaaaaaaaaL);
  }

  private static long moveY(long bits, int step, int d) {
    return move(bits, step, d, 0x5555555555555555L);
  }

  /**
   * geohash_move_x and geohash_move_y: one cell along the axis whose bits {@code axis} selects
   * (longitude in the odd bits, latitude in the even), wrapping around, the other axis unchanged.
   */
  private static long move(long bits, int step, int d, long axis) {
    long moving = bits & axis;
    long fixed = bits & ~axis;
    long zz = ~axis >>> (64 - step * 2); // the other axis's bits, so that a carry passes them
    if (d > 0) {
      moving = moving + (zz + 1);
    } else {
      moving = moving | zz;
      moving = moving - (zz + 1);
    }
    moving &= (axis >>> (64 - step * 2));
    return moving | fixed;
  }

  /** interleave64: x's bits in the even positions, y's in the odd ones. */
  private static long interleave(long x, long y) {
    x = (x | (x << 16)) & 0x0000FFFF0000FFFFL;
    y = (y | (y << 16)) & 0x0000FFFF0000FFFFL;
    x = (x | (x << 8)) & 0x00FF00FF00FF00FFL;
    y = (y | (y << 8)) & 0x00FF00FF00FF00FFL;
    x = (x | (x << 4)) & 0x0F0F0F0F0F0F0F0FL;
    y = (y | (y << 4)) & 0x0F0F0F0F0F0F0F0FL;
    x = (x | (x << 2)) & 0x3333333333333333L;
    y = (y | (y << 2)) & 0x3333333333333333L;
    x = (x | (x << 1)) & 0x5555555555555555L;
    y = (y | (y << 1)) & 0x5555555555555555L;
    return x | (y << 1);
  }

  /** deinterleave64: the even bits in the low half, the odd ones in the high half. */
  private static long deinterleave(long interleaved) {
    long x = interleaved;
    long y = interleaved >>> 1;
    x = x & 0x5555555555555555L;
    y = y & 0x5555555555555555L;
    x = (x | (x >>> 1)) & 0x3333333333333333L;
    y = (y | (y >>> 1)) & 0x3333333333333333L;
    x = (x | (x >>> 2)) & 0x0F0F0F0F0F0F0F0FL;
    y = (y | (y >>> 2)) & 0x0F0F0F0F0F0F0F0FL;
    x = (x | (x >>> 4)) & 0x00FF00FF00FF00FFL;
    y = (y | (y >>> 4)) & 0x00FF00FF00FF00FFL;
    x = (x | (x >>> 8)) & 0x0000FFFF0000FFFFL;
    y = (y | (y >>> 8)) & 0x0000FFFF0000FFFFL;
    x = (x | (x >>> 16)) & 0x00000000FFFFFFFFL;
    y = (y | (y >>> 16)) & 0x00000000FFFFFFFFL;
    return x | (y << 32);
  }

  /**
   * C's (uint64_t) of a double as gcc compiles it on x86-64: below 2^63 the signed conversion
   * (cvttsd2si, which gives 2^63 for what it cannot convert), from 2^63 the same after subtracting
   * 2^63, with the top bit set back.
   */
  static long toUint64(double d) {
    if (d >= 0x1p63) {
      double rest = d - 0x1p63;
      long low = rest < 0x1p63 && !Double.isNaN(rest) ? (long) rest : Long.MIN_VALUE;
      return low ^ Long.MIN_VALUE;
    }
    if (Double.isNaN(d) || d < -0x1p63) {
      return Long.MIN_VALUE;
    }
    return (long) d;
  }
}
