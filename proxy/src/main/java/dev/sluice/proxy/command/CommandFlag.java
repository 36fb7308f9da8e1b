package dev.sluice.proxy.command;

/** Redis's command flags, as COMMAND reports them. */
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
  FAST("fast"),
  NO_AUTH("no_auth"),
  NO_MULTI("no_multi"),
  ALLOW_BUSY("allow_busy"),
  MOVABLEKEYS("movablekeys"),
  SKIP_SLOWLOG("skip_slowlog"),
  SKIP_MONITOR("skip_monitor"),
  NO_MANDATORY_KEYS("no_mandatory_keys");

  private final String wireName;

  CommandFlag(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
