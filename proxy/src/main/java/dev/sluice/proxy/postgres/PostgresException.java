package dev.sluice.proxy.postgres;

/**
 * PostgreSQL cannot be used as configured: it cannot be reached or started, Sluice's schema cannot
 * be migrated, or a mapping does not fit the catalog. The message says which and why, and is meant
 * for the operator as it is ({@code sluice serve} prints it and exits with 1).
 */
public final class PostgresException extends RuntimeException {
  public PostgresException(String message) {
    super(message);
  }

  public PostgresException(String message, Throwable cause) {
    super(message, cause);
  }
}
