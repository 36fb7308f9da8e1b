package dev.sluice.proxy.engine;

/** Redis's command flags, in the order COMMAND INFO lists them. */
public enum CommandFlag {
  WRITE("write"),
  READONLY("readonly"),
  DENYOOM("denyoom"),
  ADMIN("admin"),
  PUBSUB("pubsub"),
  NOSCRIPT("noscript"),
  BLOCKING("blocking"),
  LOADING("loading"),
  STALE("stale"),
  SKIP_MONITOR("skip_monitor"),
  SKIP_SLOWLOG("skip_slowlog"),
  FAST("fast"),
  NO_AUTH("no_auth"),
  NO_MANDATORY_KEYS("no_mandatory_keys"),
  NO_ASYNC_LOADING("no_async_loading"),
  NO_MULTI("no_multi"),
  /** Derived from the key specs, never declared: see {@link CommandSpec}. */
  MOVABLEKEYS("movablekeys"),
  ALLOW_BUSY("allow_busy");

  private final String wireName;

  CommandFlag(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
