package dev.sluice.proxy.commands.stream;

import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.keyspace.Database;
import dev.sluice.proxy.keyspace.Entry;
import dev.sluice.proxy.keyspace.NotifyFlags;
import dev.sluice.proxy.types.stream.RedisStream;
import dev.sluice.proxy.types.stream.StreamException;
import dev.sluice.proxy.types.stream.StreamId;
import java.util.Arrays;

/**
 * The commands on a stream's entries — XADD (keys no append mapping holds), XDEL, XTRIM, XSETID,
 * XRANGE, XREVRANGE, XLEN — in the order of checks of Redis 7.4's t_stream.c. A stream is never
 * deleted when it becomes empty.
 */
final class StreamEntryCommands {
  private StreamEntryCommands() {}

  /** XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value …. */
  static void xadd(CommandContext c) {
    StreamTrimArgs a = StreamTrimArgs.parse(c, true);
    int fieldPos = a.idIndex() + 1;
    if (c.argc() - fieldPos < 2 || (c.argc() - fieldPos) % 2 == 1) {
      throw Errors.wrongArity("xadd");
    }
    // before the lookup, so that a refused 0-0 leaves no empty stream behind
    if (a.id().isExplicitZero()) {
      throw new RedisError(StreamException.XADD_ID_ZERO);
    }
    Database db = c.db();
    byte[] key = c.arg(1);
    Entry entry = db.write(key);
    RedisStream s = StreamArgs.stream(entry);
    if (s == null) {
      if (a.noMkStream()) {
        c.reply().nil();
        return;
      }
      s = new RedisStream();
      entry = db.insert(key, s); // as Redis, created before the append that may still fail
    }
    StreamId id = s.add(a.id(), Arrays.copyOfRange(c.args(), fieldPos, c.argc()), c.now());
    c.reply().bulk(id.toBytes());
    c.notify(NotifyFlags.STREAM, "xadd", key);
    c.dirty(1);
    if (a.trims() && a.trim(s) > 0) {
      c.notify(NotifyFlags.STREAM, "xtrim", key);
    }
    if (c.propagating()) { // replicas append the entry with the ID it got here, as in Redis
      byte[][] replicated = c.args().clone();
      if (a.id().auto() || !a.id().seqGiven()) {
        replicated[a.idIndex()] = id.toBytes();
      }
      a.rewriteApproximation(replicated, s);
      c.effects().replicateAs(replicated);
    }
    db.changed(entry); // wakes XREAD / XREADGROUP waiters
  }

  /** XDEL key id [id …]: the key is looked up before the IDs are read, as in Redis. */
  static void xdel(CommandContext c) {
    Entry entry = c.db().write(c.arg(1));
    RedisStream s = StreamArgs.stream(entry);
    if (s == null) {
      c.reply().integer(0);
      return;
    }
    long deleted = s.delete(StreamArgs.idsFrom(c, 2));
    if (deleted > 0) {
      c.db().changed(entry);
      c.notify(NotifyFlags.STREAM, "xdel", entry.key());
      c.dirty(deleted);
    }
    c.reply().integer(deleted);
  }

  /** XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count]: the options before the key. */
  static void xtrim(CommandContext c) {
    StreamTrimArgs a = StreamTrimArgs.parse(c, false);
    Entry entry = c.db().write(c.arg(1));
    RedisStream s = StreamArgs.stream(entry);
    if (s == null) {
      c.reply().integer(0);
      return;
    }
    long deleted = a.trim(s);
    if (deleted > 0) {
      c.db().changed(entry);
      c.notify(NotifyFlags.STREAM, "xtrim", entry.key());
      c.dirty(deleted);
      if (c.propagating()) {
        byte[][] replicated = c.args().clone();
        a.rewriteApproximation(replicated, s);
        c.effects().replicateAs(replicated);
      }
    }
    c.reply().integer(deleted);
  }

  /** XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id]. */
  static void xsetid(CommandContext c) {
    StreamId id = StreamId.parseStrict(c.arg(2));
    long entriesAdded = -1;
    StreamId maxDeleted = null;
    for (int i = 3; i < c.argc(); i += 2) {
      boolean more = i + 1 < c.argc();
      if (c.is(i, "entriesadded") && more) {
        entriesAdded = StreamArgs.integer(c, i + 1);
        if (entriesAdded < 0) {
          throw new RedisError("ERR entries_added must be positive");
        }
      } else if (c.is(i, "maxdeletedid") && more) {
        maxDeleted = StreamId.parseStrict(c.arg(i + 1));
        if (id.compareTo(maxDeleted) < 0) { // checked before the key is looked up, as Redis
          throw new StreamException(StreamException.XSETID_BELOW_GIVEN_MAX_DELETED);
        }
      } else {
        throw new RedisError(Errors.SYNTAX);
      }
    }
    Entry entry = c.db().write(c.arg(1));
    RedisStream s = StreamArgs.stream(entry);
    if (s == null) {
      throw new RedisError(Errors.NO_SUCH_KEY);
    }
    s.setId(id, entriesAdded, maxDeleted);
    c.db().changed(entry);
    c.reply().simple("OK");
    c.notify(NotifyFlags.STREAM, "xsetid", entry.key());
    c.dirty(1);
  }

  /** XRANGE key start end [COUNT count], or XREVRANGE key end start [COUNT count]. */
  static void range(CommandContext c, boolean rev) {
    StreamId start = StreamId.parseRangeStart(c.arg(rev ? 3 : 2));
    StreamId end = StreamId.parseRangeEnd(c.arg(rev ? 2 : 3));
    long count = -1;
    for (int i = 4; i < c.argc(); i++) {
      if (c.is(i, "count") && i + 1 < c.argc()) {
        count = Math.max(0, StreamArgs.integer(c, ++i));
      } else {
        throw new RedisError(Errors.SYNTAX);
      }
    }
    RedisStream s = StreamArgs.stream(c.db().read(c.arg(1)));
    if (s == null) {
      c.reply().array(0);
    } else if (count == 0) {
      c.reply().nilArray();
    } else {
      StreamArgs.entries(c.reply(), s.range(start, end, rev, Math.max(count, 0)));
    }
  }

  /** XLEN key. */
  static void xlen(CommandContext c) {
    RedisStream s = StreamArgs.stream(c.db().read(c.arg(1)));
    c.reply().integer(s == null ? 0 : s.length());
  }
}
