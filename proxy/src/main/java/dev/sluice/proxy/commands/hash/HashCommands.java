package dev.sluice.proxy.commands.hash;

import static dev.sluice.proxy.engine.CommandFlag.DENYOOM;
import static dev.sluice.proxy.engine.CommandFlag.FAST;
import static dev.sluice.proxy.engine.CommandFlag.READONLY;
import static dev.sluice.proxy.engine.CommandFlag.WRITE;
import static dev.sluice.proxy.engine.CommandSpec.command;

import dev.sluice.proxy.commands.CollectionArgs;
import dev.sluice.proxy.commands.CollectionArgs.ScanOptions;
import dev.sluice.proxy.commands.LongDoubles;
import dev.sluice.proxy.commands.Values;
import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.CommandTable;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.KeySpec;
import dev.sluice.proxy.engine.MappedWrite;
import dev.sluice.proxy.engine.Numbers;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.keyspace.BytesKey;
import dev.sluice.proxy.keyspace.Entry;
import dev.sluice.proxy.keyspace.NotifyFlags;
import dev.sluice.proxy.resp.Reply;
import dev.sluice.proxy.types.RedisHash;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import java.util.random.RandomGenerator;

/** The hash commands of Redis 7.4 (without the field-expiry commands). */
public final class HashCommands {
  private HashCommands() {}

  static final String NOT_INTEGER = "ERR hash value is not an integer";
  static final String NOT_FLOAT = "ERR hash value is not a float";
  static final String NAN_OR_INFINITY_ARG = "ERR value is NaN or Infinity";

  private static final String SCAN_COMPLEXITY =
      "O(1) for every call. O(N) for a complete iteration, including enough command calls for the"
          + " cursor to return back to 0. N is the number of elements inside the collection.";

  public static void register(CommandTable t) {
    t.register(
        command("hset", -4, c -> hset(c, false))
            .flags(WRITE, DENYOOM, FAST)
            .keys(KeySpec.key(1, "RW update"))
            .mappedWrite(MappedWrite.HASH_SET)
            .group("hash")
            .doc(
                "Creates or modifies the value of a field in a hash.",
                "2.0.0",
                "O(1) for each field/value pair added, so O(N) to add N field/value pairs when the"
                    + " command is called with multiple field/value pairs."));
    t.register(
        command("hmset", -4, c -> hset(c, true))
            .flags(WRITE, DENYOOM, FAST)
            .keys(KeySpec.key(1, "RW update"))
            .mappedWrite(MappedWrite.HASH_SET)
            .group("hash")
            .doc(
                "Sets the values of multiple fields.",
                "2.0.0",
                "O(N) where N is the number of fields being set."));
    t.register(
        command("hsetnx", 4, HashCommands::hsetnx)
            .flags(WRITE, DENYOOM, FAST)
            .keys(KeySpec.key(1, "RW insert"))
            .mappedWrite(MappedWrite.HASH_SET)
            .group("hash")
            .doc(
                "Sets the value of a field in a hash only when the field doesn't exist.",
                "2.0.0",
                "O(1)"));
    t.register(
        command("hget", 3, HashCommands::hget)
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO access"))
            .group("hash")
            .doc("Returns the value of a field in a hash.", "2.0.0", "O(1)"));
    t.register(
        command("hmget", -3, HashCommands::hmget)
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO access"))
            .group("hash")
            .doc(
                "Returns the values of all fields in a hash.",
                "2.0.0",
                "O(N) where N is the number of fields being requested."));
    t.register(
        command("hgetall", 2, HashCommands::hgetall)
            .flags(READONLY)
            .keys(KeySpec.key(1, "RO access"))
            .tips("nondeterministic_output_order")
            .group("hash")
            .doc(
                "Returns all fields and values in a hash.",
                "2.0.0",
                "O(N) where N is the size of the hash."));
    t.register(
        command("hkeys", 2, c -> hkeysOrVals(c, true))
            .flags(READONLY)
            .keys(KeySpec.key(1, "RO access"))
            .tips("nondeterministic_output_order")
            .group("hash")
            .doc(
                "Returns all fields in a hash.", "2.0.0", "O(N) where N is the size of the hash."));
    t.register(
        command("hvals", 2, c -> hkeysOrVals(c, false))
            .flags(READONLY)
            .keys(KeySpec.key(1, "RO access"))
            .tips("nondeterministic_output_order")
            .group("hash")
            .doc(
                "Returns all values in a hash.", "2.0.0", "O(N) where N is the size of the hash."));
    t.register(
        command("hdel", -3, HashCommands::hdel)
            .flags(WRITE, FAST)
            .keys(KeySpec.key(1, "RW delete"))
            .mappedWrite(MappedWrite.HASH_DELETE)
            .group("hash")
            .doc(
                "Deletes one or more fields and their values from a hash. Deletes the hash if no"
                    + " fields remain.",
                "2.0.0",
                "O(N) where N is the number of fields to be removed."));
    t.register(
        command("hexists", 3, HashCommands::hexists)
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO"))
            .group("hash")
            .doc("Determines whether a field exists in a hash.", "2.0.0", "O(1)"));
    t.register(
        command("hlen", 2, HashCommands::hlen)
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO"))
            .group("hash")
            .doc("Returns the number of fields in a hash.", "2.0.0", "O(1)"));
    t.register(
        command("hstrlen", 3, HashCommands::hstrlen)
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO"))
            .group("hash")
            .doc("Returns the length of the value of a field.", "3.2.0", "O(1)"));
    t.register(
        command("hincrby", 4, HashCommands::hincrby)
            .flags(WRITE, DENYOOM, FAST)
            .keys(KeySpec.key(1, "RW access update"))
            .mappedWrite(MappedWrite.HASH_INCREMENT)
            .group("hash")
            .doc(
                "Increments the integer value of a field in a hash by a number. Uses 0 as initial"
                    + " value if the field doesn't exist.",
                "2.0.0",
                "O(1)"));
    t.register(
        command("hincrbyfloat", 4, HashCommands::hincrbyfloat)
            .flags(WRITE, DENYOOM, FAST)
            .keys(KeySpec.key(1, "RW access update"))
            .mappedWrite(MappedWrite.HASH_INCREMENT)
            .group("hash")
            .doc(
                "Increments the floating point value of a field by a number. Uses 0 as initial"
                    + " value if the field doesn't exist.",
                "2.6.0",
                "O(1)"));
    t.register(
        command("hrandfield", -2, HashCommands::hrandfield)
            .flags(READONLY)
            .keys(KeySpec.key(1, "RO access"))
            .tips("nondeterministic_output")
            .group("hash")
            .doc(
                "Returns one or more random fields from a hash.",
                "6.2.0",
                "O(N) where N is the number of fields returned"));
    t.register(
        command("hscan", -3, HashCommands::hscan)
            .flags(READONLY)
            .keys(KeySpec.key(1, "RO access"))
            .tips("nondeterministic_output")
            .group("hash")
            .doc("Iterates over fields and values of a hash.", "2.8.0", SCAN_COMPLEXITY));
  }

  private static RedisHash readHash(CommandContext c) {
    return Values.as(c.db().read(c.arg(1)), RedisHash.class);
  }

  private static RandomGenerator random() {
    return ThreadLocalRandom.current();
  }

  /** Files a hash that was just built under a new key, or records the in-place change. */
  private static void store(CommandContext c, Entry entry, RedisHash hash) {
    if (entry == null) {
      c.db().insert(c.arg(1), hash);
    } else {
      c.db().changed(entry);
    }
  }

  /** HSET key field value [field value …] and the deprecated HMSET, which replies OK. */
  private static void hset(CommandContext c, boolean hmset) {
    if (c.argc() % 2 != 0) {
      throw Errors.wrongArity(c.spec().fullName());
    }
    Entry entry = c.db().write(c.arg(1));
    RedisHash hash = Values.as(entry, RedisHash.class);
    if (hash == null) {
      hash = new RedisHash();
    }
    hash.reserve((c.argc() - 2) / 2);
    int added = 0;
    for (int i = 2; i < c.argc(); i += 2) {
      if (hash.put(c.arg(i), c.arg(i + 1))) {
        added++;
      }
    }
    store(c, entry, hash);
    c.dirty((c.argc() - 2) / 2); // every field set, new or not, as Redis
    c.notify(NotifyFlags.HASH, "hset", c.arg(1));
    if (hmset) {
      c.reply().simple("OK");
    } else {
      c.reply().integer(added);
    }
  }

  private static void hsetnx(CommandContext c) {
    Entry entry = c.db().write(c.arg(1));
    RedisHash hash = Values.as(entry, RedisHash.class);
    if (hash != null && hash.containsKey(c.arg(2))) {
      c.reply().integer(0);
      return;
    }
    if (hash == null) {
      hash = new RedisHash();
    }
    hash.put(c.arg(2), c.arg(3));
    store(c, entry, hash);
    c.dirty(1);
    c.notify(NotifyFlags.HASH, "hset", c.arg(1));
    c.reply().integer(1);
  }

  private static void hget(CommandContext c) {
    RedisHash hash = readHash(c);
    byte[] value = hash == null ? null : hash.get(c.arg(2));
    if (value == null) {
      c.reply().nil();
    } else {
      c.reply().bulk(value);
    }
  }

  private static void hmget(CommandContext c) {
    RedisHash hash = readHash(c);
    Reply reply = c.reply();
    reply.array(c.argc() - 2);
    for (int i = 2; i < c.argc(); i++) {
      byte[] value = hash == null ? null : hash.get(c.arg(i));
      if (value == null) {
        reply.nil();
      } else {
        reply.bulk(value);
      }
    }
  }

  private static void hgetall(CommandContext c) {
    RedisHash hash = readHash(c);
    Reply reply = c.reply();
    if (hash == null) {
      reply.map(0);
      return;
    }
    reply.map(hash.size());
    hash.forEach(
        (field, value) -> {
          reply.bulk(field);
          reply.bulk(value);
        });
  }

  private static void hkeysOrVals(CommandContext c, boolean keys) {
    RedisHash hash = readHash(c);
    Reply reply = c.reply();
    if (hash == null) {
      reply.array(0);
      return;
    }
    reply.array(hash.size());
    hash.forEach((field, value) -> reply.bulk(keys ? field : value));
  }

  private static void hdel(CommandContext c) {
    Entry entry = c.db().write(c.arg(1));
    RedisHash hash = Values.as(entry, RedisHash.class);
    if (hash == null) {
      c.reply().integer(0);
      return;
    }
    int deleted = 0;
    for (int i = 2; i < c.argc() && !hash.isEmpty(); i++) {
      if (hash.remove(c.arg(i))) {
        deleted++;
      }
    }
    if (deleted > 0) {
      c.dirty(deleted);
      c.notify(NotifyFlags.HASH, "hdel", c.arg(1));
      if (hash.isEmpty()) {
        c.db().remove(entry);
        c.notify(NotifyFlags.GENERIC, "del", c.arg(1));
      } else {
        c.db().changed(entry);
      }
    }
    c.reply().integer(deleted);
  }

  private static void hexists(CommandContext c) {
    RedisHash hash = readHash(c);
    c.reply().integer(hash != null && hash.containsKey(c.arg(2)) ? 1 : 0);
  }

  private static void hlen(CommandContext c) {
    RedisHash hash = readHash(c);
    c.reply().integer(hash == null ? 0 : hash.size());
  }

  private static void hstrlen(CommandContext c) {
    RedisHash hash = readHash(c);
    byte[] value = hash == null ? null : hash.get(c.arg(2));
    c.reply().integer(value == null ? 0 : value.length);
  }

  private static void hincrby(CommandContext c) {
    long increment = c.longArg(3);
    Entry entry = c.db().write(c.arg(1));
    RedisHash hash = Values.as(entry, RedisHash.class);
    byte[] current = hash == null ? null : hash.get(c.arg(2));
    long value = current == null ? 0 : Numbers.parseLong(current, NOT_INTEGER);
    long result;
    try {
      result = Math.addExact(value, increment);
    } catch (ArithmeticException e) {
      throw new RedisError(Errors.OVERFLOW);
    }
    if (hash == null) {
      hash = new RedisHash();
    }
    hash.put(c.arg(2), Numbers.toBytes(result));
    store(c, entry, hash);
    c.dirty(1);
    c.notify(NotifyFlags.HASH, "hincrby", c.arg(1));
    c.reply().integer(result);
  }

  /** In long double arithmetic and format, as INCRBYFLOAT (see {@link LongDoubles}). */
  private static void hincrbyfloat(CommandContext c) {
    BigDecimal increment = LongDoubles.parse(c.arg(3), Errors.NOT_FLOAT);
    if (increment == null) {
      throw new RedisError(NAN_OR_INFINITY_ARG);
    }
    Entry entry = c.db().write(c.arg(1));
    RedisHash hash = Values.as(entry, RedisHash.class);
    byte[] current = hash == null ? null : hash.get(c.arg(2));
    BigDecimal value = current == null ? BigDecimal.ZERO : LongDoubles.parse(current, NOT_FLOAT);
    BigDecimal result = value == null ? null : LongDoubles.add(value, increment);
    if (result == null) {
      throw new RedisError(Errors.NAN_OR_INFINITY);
    }
    byte[] bytes = LongDoubles.format(result).getBytes(StandardCharsets.US_ASCII);
    if (hash == null) {
      hash = new RedisHash();
    }
    hash.put(c.arg(2), bytes);
    store(c, entry, hash);
    c.dirty(1);
    c.notify(NotifyFlags.HASH, "hincrbyfloat", c.arg(1));
    c.reply().bulk(bytes);
  }

  /** HRANDFIELD key [count [WITHVALUES]], with Redis's argument checks in Redis's order. */
  private static void hrandfield(CommandContext c) {
    if (c.argc() == 2) {
      RedisHash hash = readHash(c);
      if (hash == null) {
        c.reply().nil();
        return;
      }
      byte[][] pair = new byte[2][];
      hash.randomEntry(random(), pair);
      c.reply().bulk(pair[0]);
      return;
    }
    long count = CollectionArgs.randomCount(c, 2);
    if (c.argc() > 4 || (c.argc() == 4 && !c.is(3, "withvalues"))) {
      throw new RedisError(Errors.SYNTAX);
    }
    boolean withValues = c.argc() == 4;
    if (withValues && (count < -Long.MAX_VALUE / 2 || count > Long.MAX_VALUE / 2)) {
      throw new RedisError("ERR value is out of range");
    }
    RedisHash hash = readHash(c);
    if (hash == null || count == 0) {
      c.reply().array(0);
      return;
    }
    Reply reply = c.reply();
    boolean nested = withValues && reply.protocol() >= 3;
    RandomGenerator random = random();
    if (count < 0) {
      int n = CollectionArgs.replyLength(withValues && !nested ? -2 * count : -count);
      reply.array(n);
      byte[][] pair = new byte[2][];
      for (long i = -count; i > 0; i--) {
        hash.randomEntry(random, pair);
        writeEntry(reply, pair[0], pair[1], withValues, nested);
      }
      return;
    }
    if (count >= hash.size()) {
      writeHeader(reply, hash.size(), withValues, nested);
      hash.forEach((field, value) -> writeEntry(reply, field, value, withValues, nested));
      return;
    }
    int n = (int) count;
    writeHeader(reply, n, withValues, nested);
    if (hash.isCompact() || 3L * n > hash.size()) {
      // many of the fields: shuffle the first n of all of them into place
      byte[][] fields = new byte[hash.size()][];
      byte[][] values = new byte[hash.size()][];
      int[] next = {0};
      hash.forEach(
          (field, value) -> {
            fields[next[0]] = field;
            values[next[0]++] = value;
          });
      for (int i = 0; i < n; i++) {
        int j = i + random.nextInt(fields.length - i);
        byte[] f = fields[i];
        byte[] v = values[i];
        fields[i] = fields[j];
        values[i] = values[j];
        fields[j] = f;
        values[j] = v;
        writeEntry(reply, fields[i], values[i], withValues, nested);
      }
      return;
    }
    // few of many fields: pick at random until n distinct ones came up
    Map<BytesKey, byte[]> picked = new LinkedHashMap<>();
    byte[][] pair = new byte[2][];
    while (picked.size() < n) {
      hash.randomEntry(random, pair);
      picked.putIfAbsent(new BytesKey(pair[0]), pair[1]);
    }
    picked.forEach((field, value) -> writeEntry(reply, field.bytes(), value, withValues, nested));
  }

  private static void writeHeader(Reply reply, int entries, boolean withValues, boolean nested) {
    reply.array(withValues && !nested ? 2 * entries : entries);
  }

  /** RESP3 nests each field and value in a pair; RESP2 flattens them. */
  private static void writeEntry(
      Reply reply, byte[] field, byte[] value, boolean withValues, boolean nested) {
    if (nested) {
      reply.array(2);
    }
    reply.bulk(field);
    if (withValues) {
      reply.bulk(value);
    }
  }

  /** HSCAN key cursor [MATCH pattern] [COUNT count] [NOVALUES]. */
  private static void hscan(CommandContext c) {
    long cursor = CollectionArgs.parseCursor(c.arg(2));
    RedisHash hash = readHash(c);
    if (hash == null) {
      CollectionArgs.replyScan(c.reply(), 0, List.of());
      return;
    }
    ScanOptions options = CollectionArgs.scanOptions(c, 3, true);
    List<byte[]> found = new ArrayList<>();
    long[] sampled = {0};
    BiConsumer<byte[], byte[]> visitor =
        (field, value) -> {
          sampled[0]++;
          if (options.matches(field)) {
            found.add(field);
            if (!options.noValues()) {
              found.add(value);
            }
          }
        };
    if (hash.isCompact()) {
      hash.forEach(visitor);
      cursor = 0;
    } else {
      long maxIterations = options.maxIterations();
      do {
        cursor = hash.scan(cursor, visitor);
      } while (cursor != 0 && maxIterations-- > 0 && sampled[0] < options.count());
    }
    CollectionArgs.replyScan(c.reply(), cursor, found);
  }
}
