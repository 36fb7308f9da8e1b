package dev.sluice.proxy.lookaside;

/**
 * A key has its mapping's shape but cannot name a row: its value does not fit the column's type or
 * is not UTF-8. The message is the error reply; the circuit breaker ignores it (the database is
 * fine).
 */
final class KeyMismatchException extends RuntimeException {
  KeyMismatchException(String reply) {
    super(reply, null, false, false);
  }
}
