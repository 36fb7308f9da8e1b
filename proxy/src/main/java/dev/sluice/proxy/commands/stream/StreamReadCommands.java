package dev.sluice.proxy.commands.stream;

import dev.sluice.proxy.commands.Timeouts;
import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.keyspace.NotifyFlags;
import dev.sluice.proxy.resp.Reply;
import dev.sluice.proxy.types.stream.ConsumerGroup;
import dev.sluice.proxy.types.stream.PendingEntry;
import dev.sluice.proxy.types.stream.RedisStream;
import dev.sluice.proxy.types.stream.StreamConsumer;
import dev.sluice.proxy.types.stream.StreamEntry;
import dev.sluice.proxy.types.stream.StreamId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * XREAD and XREADGROUP, as Redis 7.4's xreadCommand: options, then every stream's key, group and ID
 * checked before anything is read; streams that can be served answer at once, otherwise the client
 * blocks (BLOCK) and the command runs again when one of its keys changes. "$" is rewritten to the
 * ID it stood for when the client blocked, so the re-run waits for what came after; a blocked
 * XREADGROUP ends with "UNBLOCKED" when a key is deleted or changes type, and with NOGROUP (its
 * re-run's error) when its group is destroyed.
 */
final class StreamReadCommands {
  private StreamReadCommands() {}

  private static final String KEY_GONE = "UNBLOCKED the stream key no longer exists";

  /** The arguments up to STREAMS. */
  private static final class Options {
    long timeout = -1; // -1: no BLOCK
    long count;
    int streamsArg;
    int streams;
    boolean noAck;
    byte[] group;
    byte[] consumer;
  }

  /** XREAD [COUNT count] [BLOCK ms] STREAMS key … id …, or XREADGROUP GROUP g c … ([NOACK]). */
  static void read(CommandContext c, boolean xreadgroup) {
    Options o = options(c, xreadgroup);
    int n = o.streams;
    StreamId[] ids = new StreamId[n];
    boolean[] newOnly = new boolean[n]; // ">"
    ConsumerGroup[] groups = new ConsumerGroup[n];
    for (int k = 0; k < n; k++) {
      int keyIndex = o.streamsArg + k;
      int idIndex = keyIndex + n;
      RedisStream s = StreamArgs.stream(c.db().read(c.arg(keyIndex)));
      if (xreadgroup) {
        groups[k] = s == null ? null : s.group(o.group);
        if (groups[k] == null) {
          throw new RedisError(
              "NOGROUP No such key '"
                  + c.text(keyIndex)
                  + "' or consumer group '"
                  + new String(o.group, StandardCharsets.UTF_8)
                  + "' in XREADGROUP with GROUP option");
        }
      }
      if (StreamArgs.isSymbol(c, idIndex, '$')) {
        if (xreadgroup) {
          throw new RedisError(meaningless('$'));
        }
        ids[k] = s != null ? s.lastId() : StreamId.MIN;
      } else if (StreamArgs.isSymbol(c, idIndex, '+')) {
        if (xreadgroup) {
          throw new RedisError(meaningless('+'));
        }
        // 7.4: the last entry, read as "after the ID just below the last one"
        ids[k] = s != null && s.length() > 0 ? s.lastId().previous() : StreamId.MIN;
      } else if (StreamArgs.isSymbol(c, idIndex, '>')) {
        if (!xreadgroup) {
          throw new RedisError(
              "ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group>"
                  + " <consumer> option.");
        }
        newOnly[k] = true;
        ids[k] = StreamId.MAX;
      } else {
        ids[k] = StreamId.parseStrict(c.arg(idIndex));
      }
    }
    List<byte[]> servedKeys = new ArrayList<>();
    List<List<StreamEntry>> served = new ArrayList<>();
    long now = c.now();
    StreamEffects effects = xreadgroup && c.propagating() ? new StreamEffects(o.group) : null;
    for (int k = 0; k < n; k++) {
      byte[] key = c.arg(o.streamsArg + k);
      RedisStream s = StreamArgs.stream(c.db().read(key));
      if (s == null) {
        continue;
      }
      List<StreamEntry> entries = null;
      if (xreadgroup) {
        ConsumerGroup g = groups[k];
        if (effects != null && o.noAck && g.consumer(o.consumer) == null) {
          effects.consumerCreated(key, o.consumer);
        }
        StreamConsumer consumer = consumer(c, g, o.consumer, key, now);
        if (!newOnly[k]) {
          entries = g.readHistory(consumer, ids[k], o.count, now);
        } else if (g.hasNewEntries()) {
          entries = g.readNew(consumer, o.count, o.noAck, now);
          if (effects != null && !entries.isEmpty()) {
            delivered(effects, key, g, entries, o.noAck);
          }
        }
        if (entries != null) {
          c.db().changed(c.db().get(key));
          c.dirty(1);
        }
      } else {
        StreamId last = s.lastValidId();
        StreamId start = ids[k].next();
        if (last != null && start != null && last.compareTo(ids[k]) > 0) {
          entries = s.range(start, StreamId.MAX, false, o.count);
        }
      }
      if (entries != null) {
        servedKeys.add(key);
        served.add(entries);
      }
    }
    if (effects != null) { // XREADGROUP itself never goes to replicas
      c.effects().replicateAs(effects.commands());
    }
    if (!served.isEmpty()) {
      reply(c.reply(), servedKeys, served);
    } else if (o.timeout != -1 && c.canBlock()) {
      block(c, o, ids, xreadgroup);
    } else {
      c.reply().nilArray(); // no BLOCK, or where a client cannot block: as a timeout
    }
  }

  private static Options options(CommandContext c, boolean xreadgroup) {
    Options o = new Options();
    for (int i = 1; i < c.argc(); i++) {
      int more = c.argc() - i - 1;
      if (c.is(i, "block") && more > 0) {
        o.timeout = Timeouts.millis(c, ++i);
      } else if (c.is(i, "count") && more > 0) {
        o.count = Math.max(0, StreamArgs.integer(c, ++i));
      } else if (c.is(i, "streams") && more > 0) {
        o.streamsArg = i + 1;
        int remaining = c.argc() - o.streamsArg;
        if (remaining % 2 != 0) {
          throw new RedisError(
              "ERR Unbalanced '"
                  + (xreadgroup ? "xreadgroup" : "xread")
                  + "' list of streams: for each stream key an "
                  + (xreadgroup ? "ID or '>'" : "ID, '+', or '$'")
                  + " must be specified.");
        }
        o.streams = remaining / 2;
        break;
      } else if (c.is(i, "group") && more >= 2) {
        if (!xreadgroup) {
          throw new RedisError(
              "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
        }
        o.group = c.arg(i + 1);
        o.consumer = c.arg(i + 2);
        i += 2;
      } else if (c.is(i, "noack")) {
        if (!xreadgroup) {
          throw new RedisError(
              "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
        }
        o.noAck = true;
      } else {
        throw new RedisError(Errors.SYNTAX);
      }
    }
    if (o.streamsArg == 0) {
      throw new RedisError(Errors.SYNTAX);
    }
    if (xreadgroup && o.group == null) {
      throw new RedisError("ERR Missing GROUP option for XREADGROUP");
    }
    return o;
  }

  private static String meaningless(char symbol) {
    return "ERR The "
        + symbol
        + " ID is meaningless in the context of XREADGROUP: you want to read the history of this"
        + " consumer by specifying a proper ID, or use the > ID to get new messages. The "
        + symbol
        + " ID would just return an empty result set.";
  }

  /**
   * The group's consumer of that name, created (and announced) if new, marked as seen now: Redis
   * 7.4 creates it for every stream of an XREADGROUP, served or not.
   */
  static StreamConsumer consumer(
      CommandContext c, ConsumerGroup g, byte[] name, byte[] key, long now) {
    StreamConsumer consumer = g.consumer(name);
    if (consumer == null) {
      consumer = g.createConsumer(name, now);
      c.notify(NotifyFlags.STREAM, "xgroup-createconsumer", key);
      c.dirty(1);
    }
    consumer.seen(now);
    return consumer;
  }

  /**
   * What replicas run for new entries a group delivered: each as an XCLAIM to its consumer (the
   * group's last ID then being that entry's), or, under NOACK, the group's new last ID.
   */
  private static void delivered(
      StreamEffects effects,
      byte[] key,
      ConsumerGroup g,
      List<StreamEntry> entries,
      boolean noAck) {
    if (noAck) {
      effects.groupId(key, g);
      return;
    }
    for (StreamEntry e : entries) {
      PendingEntry nack = g.pending().get(e.id());
      effects.claimed(
          key,
          e.id().toBytes(),
          nack.consumer().name(),
          nack.deliveryTime(),
          nack.deliveryCount(),
          e.id());
    }
  }

  /** RESP2: [[key, entries] …]; RESP3: {key: entries …}. */
  private static void reply(Reply r, List<byte[]> keys, List<List<StreamEntry>> served) {
    boolean resp3 = r.protocol() >= 3;
    if (resp3) {
      r.map(keys.size());
    } else {
      r.array(keys.size());
    }
    for (int k = 0; k < keys.size(); k++) {
      if (!resp3) {
        r.array(2);
      }
      r.bulk(keys.get(k));
      StreamArgs.entries(r, served.get(k));
    }
  }

  private static void block(CommandContext c, Options o, StreamId[] ids, boolean xreadgroup) {
    byte[][] rerun = null;
    List<byte[]> keys = new ArrayList<>(o.streams);
    for (int k = 0; k < o.streams; k++) {
      byte[] key = c.arg(o.streamsArg + k);
      if (keys.stream().noneMatch(seen -> Arrays.equals(seen, key))) {
        keys.add(key);
      }
      int idIndex = o.streamsArg + o.streams + k;
      if (StreamArgs.isSymbol(c, idIndex, '$')) {
        if (rerun == null) {
          rerun = c.args().clone();
        }
        rerun[idIndex] = ids[k].toBytes();
      }
    }
    c.block(
        keys,
        RedisStream.class,
        o.timeout,
        Reply::nilArray,
        rerun,
        xreadgroup ? r -> r.error(KEY_GONE) : null);
  }
}
