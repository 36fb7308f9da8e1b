package dev.sluice.proxy.commands.stream;

import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.keyspace.Entry;
import dev.sluice.proxy.resp.Reply;
import dev.sluice.proxy.types.stream.ConsumerGroup;
import dev.sluice.proxy.types.stream.PendingEntry;
import dev.sluice.proxy.types.stream.RedisStream;
import dev.sluice.proxy.types.stream.StreamConsumer;
import dev.sluice.proxy.types.stream.StreamEntry;
import dev.sluice.proxy.types.stream.StreamException;
import dev.sluice.proxy.types.stream.StreamId;
import dev.sluice.proxy.types.stream.StreamPending;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pending entries lists: XPENDING (summary and extended form), XCLAIM and XAUTOCLAIM, with
 * Redis 7.4's order of checks (arguments that can be checked alone first, then key and group).
 */
final class StreamPendingCommands {
  private StreamPendingCommands() {}

  /** Redis's XAUTOCLAIM COUNT bound: LONG_MAX / max(sizeof(streamID), attempts factor 10). */
  private static final long MAX_AUTOCLAIM_COUNT = Long.MAX_VALUE / 16;

  /** The group at key {@code c.arg(1)} named {@code c.arg(2)}, or NOGROUP. */
  private static ConsumerGroup group(CommandContext c, Entry entry) {
    RedisStream s = StreamArgs.stream(entry);
    ConsumerGroup g = s == null ? null : s.group(c.arg(2));
    if (g == null) {
      throw StreamArgs.noKeyOrGroup(c, 1, 2, "");
    }
    return g;
  }

  /** XPENDING key group [[IDLE min-idle-time] start end count [consumer]]. */
  static void xpending(CommandContext c) {
    if (c.argc() != 3 && (c.argc() < 6 || c.argc() > 9)) {
      throw new RedisError(Errors.SYNTAX);
    }
    long minIdle = 0;
    long count = 0;
    StreamId start = null;
    StreamId end = null;
    byte[] consumerName = null;
    if (c.argc() >= 6) {
      int from = 3;
      if (c.is(3, "idle")) {
        minIdle = StreamArgs.integer(c, 4);
        if (c.argc() < 8) {
          throw new RedisError(Errors.SYNTAX);
        }
        from += 2;
      }
      count = Math.max(0, StreamArgs.integer(c, from + 2));
      start = StreamId.parseRangeStart(c.arg(from));
      end = StreamId.parseRangeEnd(c.arg(from + 1));
      if (from + 3 < c.argc()) {
        consumerName = c.arg(from + 3);
      }
    }
    ConsumerGroup g = group(c, c.db().read(c.arg(1)));
    Reply r = c.reply();
    if (c.argc() == 3) {
      StreamPending.Summary summary = g.pendingSummary();
      r.array(4);
      r.integer(summary.count());
      if (summary.count() == 0) {
        r.nil();
        r.nil();
        r.nilArray();
        return;
      }
      StreamArgs.id(r, summary.smallest());
      StreamArgs.id(r, summary.largest());
      r.array(summary.owners().size());
      for (StreamPending.Owner owner : summary.owners()) {
        r.array(2);
        r.bulk(owner.consumer());
        r.bulk(Long.toString(owner.count())); // a bulk string, as Redis sends it
      }
      return;
    }
    StreamConsumer consumer = null;
    if (consumerName != null) {
      consumer = g.consumer(consumerName);
      if (consumer == null) {
        r.array(0);
        return;
      }
    }
    List<StreamPending.Line> lines = g.pending(start, end, count, minIdle, consumer, c.now());
    r.array(lines.size());
    for (StreamPending.Line line : lines) {
      r.array(4);
      StreamArgs.id(r, line.id());
      r.bulk(line.consumer());
      r.integer(Math.max(0, line.idle()));
      r.integer(line.deliveryCount());
    }
  }

  /**
   * XCLAIM key group consumer min-idle-time id [id …] [IDLE ms] [TIME ms-unix-time] [RETRYCOUNT
   * count] [FORCE] [JUSTID] [LASTID id]: the IDs run up to the first argument that is not one.
   */
  static void xclaim(CommandContext c) {
    Entry entry = c.db().read(c.arg(1));
    ConsumerGroup g = group(c, entry);
    RedisStream s = StreamArgs.stream(entry);
    long minIdle = Math.max(0, c.longArg(4, "ERR Invalid min-idle-time argument for XCLAIM"));
    List<StreamId> ids = new ArrayList<>();
    int j = 5;
    for (; j < c.argc(); j++) {
      try {
        ids.add(StreamId.parseStrict(c.arg(j)));
      } catch (StreamException notAnId) {
        break; // perhaps the options
      }
    }
    long now = c.now();
    long deliveryTime = -1;
    long retryCount = -1;
    boolean force = false;
    boolean justId = false;
    StreamId lastId = null;
    for (; j < c.argc(); j++) {
      boolean more = j + 1 < c.argc();
      if (c.is(j, "force")) {
        force = true;
      } else if (c.is(j, "justid")) {
        justId = true;
      } else if (c.is(j, "idle") && more) {
        deliveryTime = now - c.longArg(++j, "ERR Invalid IDLE option argument for XCLAIM");
      } else if (c.is(j, "time") && more) {
        deliveryTime = c.longArg(++j, "ERR Invalid TIME option argument for XCLAIM");
      } else if (c.is(j, "retrycount") && more) {
        retryCount = c.longArg(++j, "ERR Invalid RETRYCOUNT option argument for XCLAIM");
      } else if (c.is(j, "lastid") && more) {
        lastId = StreamId.parseStrict(c.arg(++j));
      } else {
        throw new RedisError("ERR Unrecognized XCLAIM option '" + c.text(j) + "'");
      }
    }
    boolean lastIdMoves = lastId != null && lastId.compareTo(g.lastDeliveredId()) > 0;
    // pending entries the stream no longer has: XCLAIM drops them, each a change
    Set<StreamId> gone = new HashSet<>();
    for (StreamId id : ids) {
      if (g.pending().containsKey(id) && !s.contains(id)) {
        gone.add(id);
      }
    }
    StreamConsumer consumer = StreamReadCommands.consumer(c, g, c.arg(3), c.arg(1), now);
    StreamPending.ClaimOptions options =
        new StreamPending.ClaimOptions(minIdle, deliveryTime, retryCount, force, justId, lastId);
    List<StreamEntry> claimed = claim(c, g, consumer, ids, options, now, lastIdMoves);
    long changes = claimed.size() + gone.size();
    c.dirty(changes == 0 && lastIdMoves ? 1 : changes);
    c.db().changed(entry);
    if (justId) {
      StreamArgs.ids(c.reply(), claimed);
    } else {
      StreamArgs.entries(c.reply(), claimed);
    }
  }

  /**
   * XCLAIM's claims, one ID at a time when replicas are to be told: each entry claimed, and each
   * dropped because the stream no longer has it, goes to them as an XCLAIM of its new (or, dropped,
   * last) state, with the ID as the client wrote it; a LASTID that moved the group and claimed
   * nothing as XGROUP SETID.
   */
  private static List<StreamEntry> claim(
      CommandContext c,
      ConsumerGroup g,
      StreamConsumer consumer,
      List<StreamId> ids,
      StreamPending.ClaimOptions options,
      long now,
      boolean lastIdMoves) {
    if (!c.propagating()) {
      return g.claim(consumer, ids, options, now);
    }
    StreamEffects effects = new StreamEffects(c.arg(2));
    List<StreamEntry> claimed = new ArrayList<>(g.claim(consumer, List.of(), options, now));
    for (int k = 0; k < ids.size(); k++) {
      StreamId id = ids.get(k);
      PendingEntry nack = g.pending().get(id);
      PelState before = nack == null ? null : PelState.of(id, nack);
      List<StreamEntry> one = g.claim(consumer, List.of(id), options, now);
      claimed.addAll(one);
      if (!one.isEmpty()) {
        effects.claimed(c.arg(1), c.arg(5 + k), g.pending().get(id), g);
      } else if (before != null && !g.pending().containsKey(id)) {
        effects.claimed(
            c.arg(1),
            c.arg(5 + k),
            before.owner(),
            before.deliveryTime(),
            before.deliveryCount(),
            g.lastDeliveredId());
      }
    }
    if (effects.isEmpty() && lastIdMoves) {
      effects.groupId(c.arg(1), g);
    }
    c.effects().replicateAs(effects.commands());
    return claimed;
  }

  /** XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID]. */
  static void xautoclaim(CommandContext c) {
    long minIdle = Math.max(0, c.longArg(4, "ERR Invalid min-idle-time argument for XAUTOCLAIM"));
    StreamId start = StreamId.parseRangeStart(c.arg(5));
    long count = 100;
    boolean justId = false;
    for (int j = 6; j < c.argc(); j++) {
      if (c.is(j, "count") && j + 1 < c.argc()) {
        count = c.longArg(++j, "ERR COUNT must be > 0");
        if (count < 1 || count > MAX_AUTOCLAIM_COUNT) {
          throw new RedisError("ERR COUNT must be > 0");
        }
      } else if (c.is(j, "justid")) {
        justId = true;
      } else {
        throw new RedisError(Errors.SYNTAX);
      }
    }
    Entry entry = c.db().read(c.arg(1));
    ConsumerGroup g = group(c, entry);
    long now = c.now();
    StreamConsumer consumer = StreamReadCommands.consumer(c, g, c.arg(3), c.arg(1), now);
    // the PEL entries it may look at, as they were: a dropped one goes to replicas so
    List<PelState> scanned = c.propagating() ? PelState.from(g, start, count * 10) : List.of();
    StreamPending.AutoClaim result = g.autoClaim(consumer, start, minIdle, count, justId, now);
    if (c.propagating()) {
      autoClaimed(c, g, result, scanned);
    }
    c.dirty(result.claimed().size() + result.deleted().size());
    c.db().changed(entry);
    Reply r = c.reply();
    r.array(3);
    StreamArgs.id(r, result.next());
    if (justId) {
      StreamArgs.ids(r, result.claimed());
    } else {
      StreamArgs.entries(r, result.claimed());
    }
    r.array(result.deleted().size());
    for (StreamId id : result.deleted()) {
      StreamArgs.id(r, id);
    }
  }

  /**
   * What replicas run for XAUTOCLAIM: in PEL order, each entry claimed and each dropped as an
   * XCLAIM of its state (a dropped one's last), as Redis propagates them while it scans.
   */
  private static void autoClaimed(
      CommandContext c, ConsumerGroup g, StreamPending.AutoClaim result, List<PelState> scanned) {
    StreamEffects effects = new StreamEffects(c.arg(2));
    Set<StreamId> claimed = new HashSet<>();
    result.claimed().forEach(e -> claimed.add(e.id()));
    Set<StreamId> deleted = new HashSet<>(result.deleted());
    for (PelState before : scanned) {
      if (claimed.contains(before.id())) {
        effects.claimed(c.arg(1), before.id().toBytes(), g.pending().get(before.id()), g);
      } else if (deleted.contains(before.id())) {
        effects.claimed(
            c.arg(1),
            before.id().toBytes(),
            before.owner(),
            before.deliveryTime(),
            before.deliveryCount(),
            g.lastDeliveredId());
      }
    }
    c.effects().replicateAs(effects.commands());
  }

  /** A PEL entry's state before a claim changed or dropped it. */
  private record PelState(StreamId id, byte[] owner, long deliveryTime, long deliveryCount) {
    static PelState of(StreamId id, PendingEntry nack) {
      return new PelState(id, nack.consumer().name(), nack.deliveryTime(), nack.deliveryCount());
    }

    /** The first {@code limit} entries of the PEL from {@code start} on. */
    static List<PelState> from(ConsumerGroup g, StreamId start, long limit) {
      List<PelState> states = new ArrayList<>();
      for (Map.Entry<StreamId, PendingEntry> e : g.pending().tailMap(start, true).entrySet()) {
        if (states.size() >= limit) {
          break;
        }
        states.add(of(e.getKey(), e.getValue()));
      }
      return states;
    }
  }
}
