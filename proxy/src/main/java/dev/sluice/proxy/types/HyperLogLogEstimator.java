package dev.sluice.proxy.types;

import static dev.sluice.proxy.types.HyperLogLog.Q;
import static dev.sluice.proxy.types.HyperLogLog.REGISTERS;

/**
 * Redis's hllCount from the register histogram: "New cardinality estimation algorithms for
 * HyperLogLog sketches", Otmar Ertl, arXiv:1702.01284. The floating point operations are in Redis's
 * order so the result is the same to the last digit.
 */
final class HyperLogLogEstimator {
  private HyperLogLogEstimator() {}

  static final double ALPHA_INF = 0.721347520444481703680; // 0.5 / ln(2)

  /**
   * The estimated cardinality of registers counted by value in {@code histogram}: non-negative, or
   * Long.MIN_VALUE where Redis's llroundl overflows.
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
}
