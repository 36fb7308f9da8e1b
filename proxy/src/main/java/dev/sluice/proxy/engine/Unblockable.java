package dev.sluice.proxy.engine;

/** A command a client waits in, as CLIENT UNBLOCK sees it. */
public interface Unblockable {
  /**
   * Under the keyspace lock: ends the wait with the reply a timeout gives, or with {@code error}
   * when not null. Returns false if this wait may not be ended so (a command CLIENT PAUSE holds) or
   * has ended already.
   */
  boolean unblock(String error);

  /** A command CLIENT PAUSE holds: Redis's CLIENT UNBLOCK leaves it waiting. */
  Unblockable PAUSED = error -> false;
}
