package dev.sluice.proxy.commands.hash;

import dev.sluice.proxy.commands.LongDoubles;
import dev.sluice.proxy.commands.Values;
import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.Numbers;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.keyspace.Entry;
import dev.sluice.proxy.keyspace.NotifyFlags;
import dev.sluice.proxy.resp.Reply;
import dev.sluice.proxy.types.RedisHash;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/**
 * The commands on named fields of a hash: HSET, HMSET, HSETNX, HGET, HMGET, HDEL, HEXISTS, HLEN,
 * HSTRLEN, HINCRBY and HINCRBYFLOAT.
 */
final class HashFields {
  private HashFields() {}

  private static final String NOT_INTEGER = "ERR hash value is not an integer";
  private static final String NOT_FLOAT = "ERR hash value is not a float";
  private static final String NAN_OR_INFINITY_ARG = "ERR value is NaN or Infinity";

  static RedisHash readHash(CommandContext c) {
    return Values.as(c.db().read(c.arg(1)), RedisHash.class);
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
  static void hset(CommandContext c, boolean hmset) {
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

  static void hsetnx(CommandContext c) {
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

  static void hget(CommandContext c) {
    RedisHash hash = readHash(c);
    byte[] value = hash == null ? null : hash.get(c.arg(2));
    if (value == null) {
      c.reply().nil();
    } else {
      c.reply().bulk(value);
    }
  }

  static void hmget(CommandContext c) {
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

  static void hdel(CommandContext c) {
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

  static void hexists(CommandContext c) {
    RedisHash hash = readHash(c);
    c.reply().integer(hash != null && hash.containsKey(c.arg(2)) ? 1 : 0);
  }

  static void hlen(CommandContext c) {
    RedisHash hash = readHash(c);
    c.reply().integer(hash == null ? 0 : hash.size());
  }

  static void hstrlen(CommandContext c) {
    RedisHash hash = readHash(c);
    byte[] value = hash == null ? null : hash.get(c.arg(2));
    c.reply().integer(value == null ? 0 : value.length);
  }

  static void hincrby(CommandContext c) {
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

  private static final byte[] HSET = {'H', 'S', 'E', 'T'};

  /** In long double arithmetic and format, as INCRBYFLOAT (see {@link LongDoubles}). */
  static void hincrbyfloat(CommandContext c) {
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
    if (c.propagating()) { // as Redis: the value made here, so that float arithmetic cannot differ
      c.effects().replicateAs(new byte[][] {HSET, c.arg(1), c.arg(2), bytes});
    }
  }
}
