package dev.sluice.proxy.engine;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;

/**
 * ACL LOG as Redis keeps it (acl.c, addACLLogEntry): the security events — failed logins, refused
 * commands — newest first, at most acllog-max-len. An event like one of the 10 newest entries (same
 * reason, context, object and user, and at most {@link #GROUPING_MILLIS} apart from its last
 * update) bumps that entry's count, takes the new client info and time and moves it to the front,
 * instead of adding one. Entry ids only grow; RESET does not rewind them.
 */
public final class AclLog {
  /** Redis's ACL_LOG_GROUPING_MAX_TIME_DELTA. */
  static final long GROUPING_MILLIS = 60_000;

  /** How many of the newest entries an event is compared with, as Redis's "toscan". */
  private static final int SCANNED = 10;

  /** Why an event was logged: ACL LOG's reason field. */
  public enum Reason {
    AUTH("auth"),
    COMMAND("command"),
    KEY("key"),
    CHANNEL("channel");

    private final String text;

    Reason(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }
  }

  /** One entry, a snapshot for ACL LOG to print. */
  public record Entry(
      long count,
      Reason reason,
      String context,
      String object,
      String username,
      String clientInfo,
      long id,
      long createdMillis,
      long updatedMillis) {}

  private static final class Logged {
    final Reason reason;
    final String context;
    final String object;
    final String username;
    final long id;
    final long createdMillis;
    long count = 1;
    String clientInfo;
    long updatedMillis;

    Logged(Reason reason, String context, String object, String username, long id, long now) {
      this.reason = reason;
      this.context = context;
      this.object = object;
      this.username = username;
      this.id = id;
      this.createdMillis = now;
      this.updatedMillis = now;
    }

    boolean matches(Reason reason, String context, String object, String username, long now) {
      return this.reason == reason
          && this.context.equals(context)
          && Math.abs(now - updatedMillis) <= GROUPING_MILLIS
          && this.object.equals(object)
          && this.username.equals(username);
    }

    Entry snapshot() {
      return new Entry(
          count, reason, context, object, username, clientInfo, id, createdMillis, updatedMillis);
    }
  }

  private final LinkedList<Logged> entries = new LinkedList<>();
  private long maxLength = 128;
  private long nextId;

  /** acllog-max-len: a shorter log drops its oldest entries at the next event, as in Redis. */
  public synchronized void maxLength(long length) {
    this.maxLength = length;
  }

  private synchronized void add(
      Reason reason,
      String context,
      String object,
      String username,
      String clientInfo,
      long nowMillis) {
    if (maxLength == 0) {
      trim();
      return;
    }
    Iterator<Logged> newest = entries.iterator();
    for (int i = 0; i < SCANNED && newest.hasNext(); i++) {
      Logged current = newest.next();
      if (current.matches(reason, context, object, username, nowMillis)) {
        newest.remove();
        entries.addFirst(current);
        current.count++;
        current.clientInfo = clientInfo;
        current.updatedMillis = nowMillis;
        return;
      }
    }
    Logged added = new Logged(reason, context, object, username, nextId++, nowMillis);
    added.clientInfo = clientInfo;
    entries.addFirst(added);
    trim();
  }

  /**
   * Logs an event of the command {@code c} runs, in Redis's context for it: "lua" in a script,
   * "multi" in a transaction (queueing, or run by EXEC), "toplevel" otherwise.
   *
   * @param object the command's full name, or for a failed login the command as the client typed it
   */
  public void add(Reason reason, CommandContext c, String object, String username) {
    String context =
        c.inScript()
            ? "lua"
            : c.session().transaction().inMulti() || !c.canBlock() ? "multi" : "toplevel";
    add(reason, context, c.session(), object, username, c.keyspace().clock().millis());
  }

  /** Logs an event of {@code session}'s in {@code context} ("toplevel", "multi", "lua"). */
  public void add(
      Reason reason,
      String context,
      Session session,
      String object,
      String username,
      long nowMillis) {
    add(reason, context, object, username, ClientInfo.describe(session), nowMillis);
  }

  private void trim() {
    while (entries.size() > maxLength) {
      entries.removeLast();
    }
  }

  /** ACL LOG RESET. */
  public synchronized void reset() {
    entries.clear();
  }

  /** The newest {@code count} entries, newest first. */
  public synchronized List<Entry> newest(long count) {
    List<Entry> out = new ArrayList<>();
    for (Logged logged : entries) {
      if (out.size() >= count) {
        break;
      }
      out.add(logged.snapshot());
    }
    return out;
  }
}
