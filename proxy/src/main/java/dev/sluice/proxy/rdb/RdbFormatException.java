package dev.sluice.proxy.rdb;

/** RDB bytes that cannot be read: truncated, or not in the format. */
public final class RdbFormatException extends RuntimeException {
  public RdbFormatException(String message) {
    super(message);
  }
}
