package dev.sluice.proxy.commands.stream;

import dev.sluice.proxy.commands.Values;
import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.CommandHandler;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.keyspace.Entry;
import dev.sluice.proxy.resp.Reply;
import dev.sluice.proxy.types.stream.RedisStream;
import dev.sluice.proxy.types.stream.StreamEntry;
import dev.sluice.proxy.types.stream.StreamException;
import dev.sluice.proxy.types.stream.StreamId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the stream commands share: the stream at a key (WRONGTYPE otherwise), Redis's NOGROUP and
 * subcommand error texts, and entries written as Redis writes them.
 */
final class StreamArgs {
  private StreamArgs() {}

  static final String NO_XGROUP_KEY =
      "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to"
          + " use the MKSTREAM option to create an empty stream automatically.";

  /**
   * The handler with the value type's refusals ({@link StreamException}, which carries Redis's
   * text) turned into error replies.
   */
  static CommandHandler guarded(CommandHandler handler) {
    return c -> {
      try {
        handler.handle(c);
      } catch (StreamException e) {
        throw new RedisError(e.redisError());
      }
    };
  }

  /** The stream of an entry, null for a missing key, WRONGTYPE for another type. */
  static RedisStream stream(Entry entry) {
    return Values.as(entry, RedisStream.class);
  }

  /** "NOGROUP No such key 'k' or consumer group 'g'" followed by {@code tail}. */
  static RedisError noKeyOrGroup(CommandContext c, int keyIndex, int groupIndex, String tail) {
    return new RedisError(
        "NOGROUP No such key '"
            + c.text(keyIndex)
            + "' or consumer group '"
            + c.text(groupIndex)
            + "'"
            + tail);
  }

  /** XGROUP's and XINFO's "NOGROUP No such consumer group 'g' for key name 'k'". */
  static RedisError noGroup(CommandContext c, int keyIndex, int groupIndex) {
    return new RedisError(
        "NOGROUP No such consumer group '"
            + c.text(groupIndex)
            + "' for key name '"
            + c.text(keyIndex)
            + "'");
  }

  /** addReplySubcommandSyntaxError: the subcommand as typed, and the container's HELP. */
  static RedisError subcommandSyntax(CommandContext c) {
    return new RedisError(
        "ERR unknown subcommand or wrong number of arguments for '"
            + c.text(1)
            + "'. Try "
            + c.text(0).toUpperCase(Locale.ROOT)
            + " HELP.");
  }

  /** An integer argument, Redis's "value is not an integer or out of range" otherwise. */
  static long integer(CommandContext c, int i) {
    return c.longArg(i, Errors.NOT_INTEGER);
  }

  /** Whether argument {@code i} is exactly the one-byte {@code symbol} ("$", "+", ">", "*"). */
  static boolean isSymbol(CommandContext c, int i, char symbol) {
    byte[] a = c.arg(i);
    return a.length == 1 && a[0] == symbol;
  }

  /** The IDs from argument {@code from} on, all read before any is used: all or nothing. */
  static List<StreamId> idsFrom(CommandContext c, int from) {
    List<StreamId> ids = new ArrayList<>(c.argc() - from);
    for (int i = from; i < c.argc(); i++) {
      ids.add(StreamId.parseStrict(c.arg(i)));
    }
    return ids;
  }

  static void id(Reply r, StreamId id) {
    r.bulk(id.toBytes());
  }

  /** An entry as [id, [field, value, …]]; a gone entry of a history read has a null array. */
  static void entry(Reply r, StreamEntry e) {
    r.array(2);
    id(r, e.id());
    byte[][] fieldsValues = e.fieldsValues();
    if (fieldsValues == null) {
      r.nilArray();
      return;
    }
    r.array(fieldsValues.length);
    for (byte[] b : fieldsValues) {
      r.bulk(b);
    }
  }

  static void entries(Reply r, List<StreamEntry> entries) {
    r.array(entries.size());
    for (StreamEntry e : entries) {
      entry(r, e);
    }
  }

  /** IDs only (JUSTID). */
  static void ids(Reply r, List<StreamEntry> entries) {
    r.array(entries.size());
    for (StreamEntry e : entries) {
      id(r, e.id());
    }
  }
}
