package dev.sluice.proxy.engine;

/**
 * A command's refusal, sent to the client as an error reply. The message carries Redis's prefix
 * ("ERR …", "WRONGTYPE …"). Thrown before anything is written, so a reply is never half-sent.
 */
public final class RedisError extends RuntimeException {
  public RedisError(String message) {
    super(message, null, false, false);
  }
}
