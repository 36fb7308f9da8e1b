package dev.sluice.proxy.commands.hash;

import dev.sluice.proxy.commands.CollectionArgs;
import dev.sluice.proxy.commands.CollectionArgs.ScanOptions;
import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.keyspace.BytesKey;
import dev.sluice.proxy.resp.Reply;
import dev.sluice.proxy.types.RedisHash;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import java.util.random.RandomGenerator;

/** The commands that go through a hash's fields: HGETALL, HKEYS, HVALS, HRANDFIELD and HSCAN. */
final class HashEnumeration {
  private HashEnumeration() {}

  private static RandomGenerator random() {
    return ThreadLocalRandom.current();
  }

  static void hgetall(CommandContext c) {
    RedisHash hash = HashFields.readHash(c);
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

  static void hkeysOrVals(CommandContext c, boolean keys) {
    RedisHash hash = HashFields.readHash(c);
    Reply reply = c.reply();
    if (hash == null) {
      reply.array(0);
      return;
    }
    reply.array(hash.size());
    hash.forEach((field, value) -> reply.bulk(keys ? field : value));
  }

  /** HRANDFIELD key [count [WITHVALUES]], with Redis's argument checks in Redis's order. */
  static void hrandfield(CommandContext c) {
    if (c.argc() == 2) {
      RedisHash hash = HashFields.readHash(c);
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
    RedisHash hash = HashFields.readHash(c);
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
  static void hscan(CommandContext c) {
    long cursor = CollectionArgs.parseCursor(c.arg(2));
    RedisHash hash = HashFields.readHash(c);
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
