package dev.sluice.proxy.commands.string;

import dev.sluice.proxy.commands.LongDoubles;
import dev.sluice.proxy.commands.Values;
import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.Numbers;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.keyspace.Database;
import dev.sluice.proxy.keyspace.Entry;
import dev.sluice.proxy.keyspace.NotifyFlags;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/** INCR, DECR, INCRBY, DECRBY and INCRBYFLOAT on strings that hold numbers. */
final class StringCounters {
  private StringCounters() {}

  static void decrby(CommandContext c) {
    long decrement = c.longArg(2);
    if (decrement == Long.MIN_VALUE) {
      throw new RedisError("ERR decrement would overflow");
    }
    incrBy(c, -decrement);
  }

  static void incrBy(CommandContext c, long increment) {
    Database db = c.db();
    Entry entry = db.write(c.arg(1));
    byte[] current = Values.string(entry);
    long value = current == null ? 0 : Numbers.parseLong(current, Errors.NOT_INTEGER);
    long result;
    try {
      result = Math.addExact(value, increment);
    } catch (ArithmeticException e) {
      throw new RedisError(Errors.OVERFLOW);
    }
    byte[] bytes = Numbers.toBytes(result);
    if (entry == null) {
      db.insert(c.arg(1), bytes);
    } else {
      db.replace(entry, bytes);
    }
    c.dirty(1);
    c.notify(NotifyFlags.STRING, "incrby", c.arg(1));
    c.reply().integer(result);
  }

  private static final byte[] SET = {'S', 'E', 'T'};
  private static final byte[] KEEPTTL = "KEEPTTL".getBytes(StandardCharsets.US_ASCII);

  /** In long double arithmetic, as Redis: 0.1 + 0.2 is "0.3" (see {@link LongDoubles}). */
  static void incrbyfloat(CommandContext c) {
    // Redis's order: the key's type, then its value, then the increment
    Database db = c.db();
    Entry entry = db.write(c.arg(1));
    byte[] current = Values.string(entry);
    BigDecimal value =
        current == null ? BigDecimal.ZERO : LongDoubles.parse(current, Errors.NOT_FLOAT);
    BigDecimal increment = LongDoubles.parse(c.arg(2), Errors.NOT_FLOAT);
    BigDecimal result =
        value == null || increment == null ? null : LongDoubles.add(value, increment);
    if (result == null) {
      throw new RedisError(Errors.NAN_OR_INFINITY);
    }
    byte[] bytes = LongDoubles.format(result).getBytes(StandardCharsets.US_ASCII);
    if (entry == null) {
      db.insert(c.arg(1), bytes);
    } else {
      db.replace(entry, bytes);
    }
    c.dirty(1);
    c.notify(NotifyFlags.STRING, "incrbyfloat", c.arg(1));
    c.reply().bulk(bytes);
    if (c.propagating()) { // as Redis: the value made here, so that float arithmetic cannot differ
      c.effects().replicateAs(new byte[][] {SET, c.arg(1), bytes, KEEPTTL});
    }
  }
}
