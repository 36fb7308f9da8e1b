package dev.sluice.proxy.engine;

/** A client described as Redis's catClientInfoString does, for the states Sluice has. */
public final class ClientInfo {
  private ClientInfo() {}

  /** CLIENT LIST's flags, in Redis's order, for the states Sluice has. */
  private static String flags(Session s) {
    StringBuilder flags = new StringBuilder(4);
    if (s.replica()) {
      flags.append('S');
    }
    if (s.primaryLink()) {
      flags.append('M');
    }
    if (s.subscriptions().total() > 0) {
      flags.append('P');
    }
    if (s.transaction().inMulti()) {
      flags.append('x');
    }
    if (s.blocked()) {
      flags.append('b');
    }
    if (s.tracking().on()) {
      flags.append('t');
    }
    if (s.tracking().brokenRedirect()) {
      flags.append('R');
    }
    if (s.tracking().bcast()) {
      flags.append('B');
    }
    if (s.transaction().watchedKeyChanged()) {
      flags.append('d');
    }
    if (s.noEvict()) {
      flags.append('e');
    }
    if (s.noTouch()) {
      flags.append('T');
    }
    return flags.isEmpty() ? "N" : flags.toString();
  }

  /** The client's line in CLIENT LIST, as CLIENT INFO and ACL LOG's client-info show it. */
  public static String describe(Session s) {
    long now = System.currentTimeMillis();
    String name = s.name() == null ? "" : s.name();
    return "id="
        + s.id()
        + " addr="
        + s.connection().remoteAddress()
        + " laddr="
        + s.connection().localAddress()
        + " fd=-1 name="
        + name
        + " age="
        + (now - s.createdAtMillis()) / 1000
        + " idle="
        + (now - s.lastInteractionMillis()) / 1000
        + " flags="
        + flags(s)
        + " db="
        + s.db()
        + " sub="
        + s.subscriptions().channels.size()
        + " psub="
        + s.subscriptions().patterns.size()
        + " ssub="
        + s.subscriptions().shardCount()
        + " multi="
        + (s.transaction().inMulti() ? s.transaction().queued().size() : -1)
        + " watch="
        + s.transaction().watchedCount()
        + " qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0"
        + " rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=0 events=r"
        + " cmd="
        + s.lastCommand()
        + " user="
        + s.user()
        + " redir="
        + (s.tracking().on() ? s.tracking().redirect() : -1)
        + " resp="
        + s.protocol()
        + " lib-name="
        + (s.libName() == null ? "" : s.libName())
        + " lib-ver="
        + (s.libVersion() == null ? "" : s.libVersion());
  }
}
