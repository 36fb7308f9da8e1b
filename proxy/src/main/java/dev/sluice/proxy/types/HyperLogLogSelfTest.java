package dev.sluice.proxy.types;

import java.util.concurrent.ThreadLocalRandom;

/**
 * PFSELFTEST as Redis's pfselftestCommand: random values written to and read back from every dense
 * register, then ten million distinct elements added to a dense and a sparse HLL, whose counts must
 * agree with each other and stay within six standard errors at 1, 10, 100 … 10^7 elements.
 */
public final class HyperLogLogSelfTest {
  private static final int TEST_CYCLES = 1000;
  private static final int ELEMENTS = 10_000_000;

  private HyperLogLogSelfTest() {}

  /** Null when every check passed, or the TESTFAILED error Redis answers. */
  public static String run() {
    String failed = registersKeepTheirValues();
    return failed != null ? failed : countsWithinError();
  }

  private static String registersKeepTheirValues() {
    byte[] dense = new byte[HyperLogLog.DENSE_SIZE];
    byte[] expected = new byte[HyperLogLog.REGISTERS];
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int cycle = 0; cycle < TEST_CYCLES; cycle++) {
      for (int i = 0; i < HyperLogLog.REGISTERS; i++) {
        int r = random.nextInt() & HyperLogLog.REGISTER_MAX;
        expected[i] = (byte) r;
        HyperLogLogDense.denseSetRegister(dense, i, r);
      }
      for (int i = 0; i < HyperLogLog.REGISTERS; i++) {
        int value = HyperLogLogDense.denseGet(dense, i);
        if (value != expected[i]) {
          return "TESTFAILED Register " + i + " should be " + expected[i] + " but is " + value;
        }
      }
    }
    return null;
  }

  private static String countsWithinError() {
    HyperLogLog dense = HyperLogLog.create();
    dense.toDense();
    HyperLogLog sparse = HyperLogLog.create();
    double relerr = 1.04 / Math.sqrt(HyperLogLog.REGISTERS);
    long seed = ThreadLocalRandom.current().nextLong();
    byte[] element = new byte[8]; // reused: the element is the 8 bytes of j ^ seed, little endian
    long checkpoint = 1;
    for (long j = 1; j <= ELEMENTS; j++) {
      long ele = j ^ seed;
      for (int b = 0; b < 8; b++) {
        element[b] = (byte) (ele >>> (8 * b));
      }
      dense.add(element);
      sparse.add(element);
      if (j != checkpoint) {
        continue;
      }
      if (j < HyperLogLog.SPARSE_MAX_BYTES / 2 && sparse.isDense()) {
        return "TESTFAILED sparse encoding not used";
      }
      long denseCount = HyperLogLog.count(dense.toBytes());
      if (denseCount != HyperLogLog.count(sparse.toBytes())) {
        return "TESTFAILED dense/sparse disagree";
      }
      long maxerr = j == 10 ? 1 : (long) Math.ceil(relerr * 6 * checkpoint);
      long abserr = Math.abs(checkpoint - denseCount);
      if (abserr > maxerr) {
        return "TESTFAILED Too big error. card:" + checkpoint + " abserr:" + abserr;
      }
      checkpoint *= 10;
    }
    return null;
  }
}
