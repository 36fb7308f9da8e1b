package dev.sluice.proxy.keyspace;

/** Wall-clock time for expiry and idle times; tests inject a manual one to advance time at will. */
public interface Clock {
  long millis();

  default long micros() {
    return millis() * 1000;
  }

  /** A monotonic reading in nanoseconds, for how long something took (LATENCY, SLOWLOG). */
  default long nanoTime() {
    return millis() * 1_000_000;
  }

  Clock SYSTEM =
      new Clock() {
        @Override
        public long millis() {
          return System.currentTimeMillis();
        }

        @Override
        public long nanoTime() {
          return System.nanoTime();
        }

        @Override
        public long micros() {
          java.time.Instant now = java.time.Instant.now();
          return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
        }
      };
}
