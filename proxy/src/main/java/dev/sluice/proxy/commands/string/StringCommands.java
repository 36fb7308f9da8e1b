package dev.sluice.proxy.commands.string;

import static dev.sluice.proxy.engine.CommandFlag.DENYOOM;
import static dev.sluice.proxy.engine.CommandFlag.FAST;
import static dev.sluice.proxy.engine.CommandFlag.READONLY;
import static dev.sluice.proxy.engine.CommandFlag.WRITE;
import static dev.sluice.proxy.engine.CommandSpec.command;

import dev.sluice.proxy.commands.Expiry;
import dev.sluice.proxy.commands.LongDoubles;
import dev.sluice.proxy.commands.Values;
import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.CommandTable;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.KeyProcs;
import dev.sluice.proxy.engine.KeySpec;
import dev.sluice.proxy.engine.MappedWrite;
import dev.sluice.proxy.engine.Numbers;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.keyspace.Database;
import dev.sluice.proxy.keyspace.Entry;
import dev.sluice.proxy.keyspace.NotifyFlags;
import dev.sluice.proxy.resp.Reply;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The string commands of Redis 7.4. */
public final class StringCommands {
  private StringCommands() {}

  /** The longest byte array the JVM allocates reliably, so the longest string Sluice holds. */
  public static void register(CommandTable t) {
    t.register(
        command("get", 2, StringCommands::get)
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO access"))
            .group("string")
            .doc("Returns the string value of a key.", "1.0.0", "O(1)"));
    t.register(
        command("set", -3, StringCommands::set)
            .flags(WRITE, DENYOOM)
            .keys(
                KeySpec.key(1, "RW access update variable_flags")
                    .notes("RW and ACCESS due to the optional `GET` argument"))
            .keyProc(KeyProcs.SET)
            .loadsKeysUnless(StringCommands::replacesWhole)
            .mappedWrite(MappedWrite.JSON_SET)
            .group("string")
            .doc(
                "Sets the string value of a key, ignoring its type. The key is created if it"
                    + " doesn't exist.",
                "1.0.0",
                "O(1)"));
    t.register(
        command("setnx", 3, StringCommands::setnx)
            .flags(WRITE, DENYOOM, FAST)
            .keys(KeySpec.key(1, "OW insert"))
            .group("string")
            .doc(
                "Set the string value of a key only when the key doesn't exist.", "1.0.0", "O(1)"));
    t.register(
        command("setex", 4, c -> setWithExpiry(c, Expiry.Unit.SECONDS_RELATIVE))
            .flags(WRITE, DENYOOM)
            .keys(KeySpec.key(1, "OW update"))
            .group("string")
            .doc("Sets the string value and expiration time of a key.", "2.0.0", "O(1)"));
    t.register(
        command("psetex", 4, c -> setWithExpiry(c, Expiry.Unit.MILLIS_RELATIVE))
            .flags(WRITE, DENYOOM)
            .keys(KeySpec.key(1, "OW update"))
            .group("string")
            .doc(
                "Sets both string value and expiration time in milliseconds of a key.",
                "2.6.0",
                "O(1)"));
    t.register(
        command("getex", -2, StringCommands::getex)
            .flags(WRITE, FAST)
            .keys(
                KeySpec.key(1, "RW access update")
                    .notes("RW and UPDATE because it changes the TTL"))
            .group("string")
            .doc(
                "Returns the string value of a key after setting its expiration time.",
                "6.2.0",
                "O(1)"));
    t.register(
        command("getdel", 2, StringCommands::getdel)
            .flags(WRITE, FAST)
            .keys(KeySpec.key(1, "RW access delete"))
            .group("string")
            .doc("Returns the string value of a key after deleting the key.", "6.2.0", "O(1)"));
    t.register(
        command("getset", 3, StringCommands::getset)
            .flags(WRITE, DENYOOM, FAST)
            .keys(KeySpec.key(1, "RW access update"))
            .group("string")
            .doc(
                "Returns the previous string value of a key after setting it to a new value.",
                "1.0.0",
                "O(1)"));
    t.register(
        command("mget", -2, StringCommands::mget)
            .flags(READONLY, FAST)
            .keys(KeySpec.range(1, -1, 1, "RO access"))
            .tips("request_policy:multi_shard")
            .group("string")
            .doc("Atomically returns the string values of one or more keys.", "1.0.0", "O(N)"));
    t.register(
        command("mset", -3, c -> mset(c, false))
            .flags(WRITE, DENYOOM)
            .keys(KeySpec.range(1, -1, 2, "OW update"))
            .tips("request_policy:multi_shard", "response_policy:all_succeeded")
            .group("string")
            .doc(
                "Atomically creates or modifies the string values of one or more keys.",
                "1.0.1",
                "O(N)"));
    t.register(
        command("msetnx", -3, c -> mset(c, true))
            .flags(WRITE, DENYOOM)
            .keys(KeySpec.range(1, -1, 2, "OW insert"))
            .tips("request_policy:multi_shard", "response_policy:agg_min")
            .group("string")
            .doc(
                "Atomically modifies the string values of one or more keys only when all keys"
                    + " don't exist.",
                "1.0.1",
                "O(N)"));
    t.register(
        command("incr", 2, c -> incrBy(c, 1))
            .flags(WRITE, DENYOOM, FAST)
            .keys(KeySpec.key(1, "RW access update"))
            .group("string")
            .doc("Increments the integer value of a key by one.", "1.0.0", "O(1)"));
    t.register(
        command("decr", 2, c -> incrBy(c, -1))
            .flags(WRITE, DENYOOM, FAST)
            .keys(KeySpec.key(1, "RW access update"))
            .group("string")
            .doc("Decrements the integer value of a key by one.", "1.0.0", "O(1)"));
    t.register(
        command("incrby", 3, c -> incrBy(c, c.longArg(2)))
            .flags(WRITE, DENYOOM, FAST)
            .keys(KeySpec.key(1, "RW access update"))
            .group("string")
            .doc("Increments the integer value of a key by a number.", "1.0.0", "O(1)"));
    t.register(
        command("decrby", 3, StringCommands::decrby)
            .flags(WRITE, DENYOOM, FAST)
            .keys(KeySpec.key(1, "RW access update"))
            .group("string")
            .doc("Decrements a number from the integer value of a key.", "1.0.0", "O(1)"));
    t.register(
        command("incrbyfloat", 3, StringCommands::incrbyfloat)
            .flags(WRITE, DENYOOM, FAST)
            .keys(KeySpec.key(1, "RW access update"))
            .group("string")
            .doc("Increment the floating point value of a key by a number.", "2.6.0", "O(1)"));
    t.register(
        command("append", 3, StringCommands::append)
            .flags(WRITE, DENYOOM, FAST)
            .keys(KeySpec.key(1, "RW insert"))
            .group("string")
            .doc(
                "Appends a string to the value of a key. Creates the key if it doesn't exist.",
                "2.0.0",
                "O(1)"));
    t.register(
        command("strlen", 2, StringCommands::strlen)
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO"))
            .group("string")
            .doc("Returns the length of a string value.", "2.2.0", "O(1)"));
    t.register(
        command("getrange", 4, StringCommands::getrange)
            .flags(READONLY)
            .keys(KeySpec.key(1, "RO access"))
            .group("string")
            .doc("Returns a substring of the string stored at a key.", "2.4.0", "O(N)"));
    t.register(
        command("substr", 4, StringCommands::getrange)
            .flags(READONLY)
            .keys(KeySpec.key(1, "RO access"))
            .group("string")
            .doc("Returns a substring from a string value.", "1.0.0", "O(N)"));
    t.register(
        command("setrange", 4, StringCommands::setrange)
            .flags(WRITE, DENYOOM)
            .keys(KeySpec.key(1, "RW update"))
            .group("string")
            .doc(
                "Overwrites a part of a string value with another by an offset. Creates the key"
                    + " if it doesn't exist.",
                "2.2.0",
                "O(1)"));
    t.register(
        command("lcs", -3, StringCommands::lcs)
            .flags(READONLY)
            .keys(KeySpec.range(1, 1, 1, "RO access"))
            .group("string")
            .doc("Finds the longest common substring.", "7.0.0", "O(N*M)"));
  }

  private static void get(CommandContext c) {
    byte[] value = Values.string(c.db().read(c.arg(1)));
    if (value == null) {
      c.reply().nil();
    } else {
      c.reply().bulk(value);
    }
  }

  /** SET key value [NX | XX] [GET] [EX s | PX ms | EXAT ts | PXAT ts | KEEPTTL]. */
  /**
   * Whether SET replaces its key's value whatever it was, so a miss needs no load: at most
   * EX/PX/EXAT/PXAT (not NX, XX, GET or KEEPTTL, which look at the old key). Creating a session
   * with {@code SET session:… … EX 3600} then costs no query.
   */
  static boolean replacesWhole(byte[][] args) {
    for (int i = 3; i < args.length; i++) {
      String option =
          new String(args[i], java.nio.charset.StandardCharsets.US_ASCII)
              .toLowerCase(java.util.Locale.ROOT);
      if (option.equals("ex")
          || option.equals("px")
          || option.equals("exat")
          || option.equals("pxat")) {
        i++; // its value
      } else {
        return false;
      }
    }
    return true;
  }

  private static void set(CommandContext c) {
    boolean nx = false;
    boolean xx = false;
    boolean get = false;
    boolean keepTtl = false;
    int expireArg = -1;
    Expiry.Unit unit = null;
    for (int i = 3; i < c.argc(); i++) {
      boolean hasNext = i + 1 < c.argc();
      if (c.is(i, "nx") && !xx) {
        nx = true;
      } else if (c.is(i, "xx") && !nx) {
        xx = true;
      } else if (c.is(i, "get")) {
        get = true;
      } else if (c.is(i, "keepttl") && unit == null) {
        keepTtl = true;
      } else if (expiryUnit(c, i) != null
          && hasNext
          && !keepTtl
          && (unit == null || unit == expiryUnit(c, i))) {
        unit = expiryUnit(c, i); // Redis lets the same option repeat; the last one counts
        expireArg = ++i;
      } else {
        throw new RedisError(Errors.SYNTAX);
      }
    }
    if (expireArg < 0) {
      unit = null;
    }
    long expireAt = unit == null ? Entry.NO_EXPIRY : Expiry.absolute(c, expireArg, unit);
    Database db = c.db();
    byte[] key = c.arg(1);
    Entry existing = get ? db.read(key) : db.get(key);
    byte[] old = get ? Values.string(existing) : null;
    if ((nx && existing != null) || (xx && existing == null)) {
      replyOldOrNil(c.reply(), get, old);
      return;
    }
    Entry entry = db.set(key, c.arg(2), keepTtl);
    c.dirty(1);
    c.notify(NotifyFlags.STRING, "set", key);
    if (expireAt != Entry.NO_EXPIRY) {
      db.expireAt(entry, expireAt);
      c.notify(NotifyFlags.GENERIC, "expire", key);
    }
    if (get) {
      replyOldOrNil(c.reply(), true, old);
    } else {
      c.reply().simple("OK");
    }
  }

  private static void replyOldOrNil(Reply reply, boolean get, byte[] old) {
    if (get && old != null) {
      reply.bulk(old);
    } else {
      reply.nil();
    }
  }

  private static Expiry.Unit expiryUnit(CommandContext c, int i) {
    if (c.is(i, "ex")) {
      return Expiry.Unit.SECONDS_RELATIVE;
    } else if (c.is(i, "px")) {
      return Expiry.Unit.MILLIS_RELATIVE;
    } else if (c.is(i, "exat")) {
      return Expiry.Unit.SECONDS_ABSOLUTE;
    } else if (c.is(i, "pxat")) {
      return Expiry.Unit.MILLIS_ABSOLUTE;
    }
    return null;
  }

  private static void setnx(CommandContext c) {
    Database db = c.db();
    if (db.get(c.arg(1)) != null) {
      c.reply().integer(0);
      return;
    }
    db.insert(c.arg(1), c.arg(2));
    c.dirty(1);
    c.notify(NotifyFlags.STRING, "set", c.arg(1));
    c.reply().integer(1);
  }

  private static void setWithExpiry(CommandContext c, Expiry.Unit unit) {
    long expireAt = Expiry.absolute(c, 2, unit);
    Database db = c.db();
    db.expireAt(db.set(c.arg(1), c.arg(3), false), expireAt);
    c.dirty(1);
    c.notify(NotifyFlags.STRING, "set", c.arg(1));
    c.notify(NotifyFlags.GENERIC, "expire", c.arg(1));
    c.reply().simple("OK");
  }

  /** GETEX key [EX s | PX ms | EXAT ts | PXAT ts | PERSIST]. */
  private static void getex(CommandContext c) {
    Expiry.Unit unit = null;
    int expireArg = -1;
    boolean persist = false;
    for (int i = 2; i < c.argc(); i++) {
      Expiry.Unit candidate = expiryUnit(c, i);
      if (candidate != null
          && i + 1 < c.argc()
          && (unit == null || unit == candidate)
          && !persist) {
        unit = candidate;
        expireArg = ++i;
      } else if (c.is(i, "persist") && unit == null) {
        persist = true;
      } else {
        throw new RedisError(Errors.SYNTAX);
      }
    }
    long expireAt = unit == null ? Entry.NO_EXPIRY : Expiry.absolute(c, expireArg, unit);
    Database db = c.db();
    Entry entry = db.read(c.arg(1));
    byte[] value = Values.string(entry);
    if (value == null) {
      c.reply().nil();
      return;
    }
    c.reply().bulk(value);
    if (unit != null) {
      db.expireAt(entry, expireAt);
      c.dirty(1);
      c.notify(NotifyFlags.GENERIC, "expire", c.arg(1));
    } else if (persist && db.persist(entry)) {
      c.dirty(1);
      c.notify(NotifyFlags.GENERIC, "persist", c.arg(1));
    }
  }

  private static void getdel(CommandContext c) {
    Database db = c.db();
    Entry entry = db.read(c.arg(1));
    byte[] value = Values.string(entry);
    if (value == null) {
      c.reply().nil();
      return;
    }
    db.remove(entry);
    c.dirty(1);
    c.notify(NotifyFlags.GENERIC, "del", c.arg(1));
    c.reply().bulk(value);
  }

  private static void getset(CommandContext c) {
    Database db = c.db();
    byte[] old = Values.string(db.read(c.arg(1)));
    db.set(c.arg(1), c.arg(2), false);
    c.dirty(1);
    c.notify(NotifyFlags.STRING, "set", c.arg(1));
    if (old == null) {
      c.reply().nil();
    } else {
      c.reply().bulk(old);
    }
  }

  private static void mget(CommandContext c) {
    Database db = c.db();
    Reply reply = c.reply();
    reply.array(c.argc() - 1);
    for (int i = 1; i < c.argc(); i++) {
      Entry entry = db.read(c.arg(i));
      if (entry != null && entry.value() instanceof byte[] value) {
        reply.bulk(value);
      } else {
        reply.nil();
      }
    }
  }

  private static void mset(CommandContext c, boolean onlyIfNoneExist) {
    if (c.argc() % 2 == 0) {
      throw Errors.wrongArity(c.spec().fullName());
    }
    Database db = c.db();
    if (onlyIfNoneExist) {
      for (int i = 1; i < c.argc(); i += 2) {
        if (db.get(c.arg(i)) != null) {
          c.reply().integer(0);
          return;
        }
      }
    }
    for (int i = 1; i < c.argc(); i += 2) {
      db.set(c.arg(i), c.arg(i + 1), false);
      c.notify(NotifyFlags.STRING, "set", c.arg(i));
    }
    c.dirty((c.argc() - 1) / 2);
    if (onlyIfNoneExist) {
      c.reply().integer(1);
    } else {
      c.reply().simple("OK");
    }
  }

  private static void decrby(CommandContext c) {
    long decrement = c.longArg(2);
    if (decrement == Long.MIN_VALUE) {
      throw new RedisError("ERR decrement would overflow");
    }
    incrBy(c, -decrement);
  }

  private static void incrBy(CommandContext c, long increment) {
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

  /** In long double arithmetic, as Redis: 0.1 + 0.2 is "0.3" (see {@link LongDoubles}). */
  private static void incrbyfloat(CommandContext c) {
    BigDecimal increment = LongDoubles.parse(c.arg(2), Errors.NOT_FLOAT);
    Database db = c.db();
    Entry entry = db.write(c.arg(1));
    byte[] current = Values.string(entry);
    BigDecimal value =
        current == null ? BigDecimal.ZERO : LongDoubles.parse(current, Errors.NOT_FLOAT);
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
  }

  private static void append(CommandContext c) {
    Database db = c.db();
    Entry entry = db.write(c.arg(1));
    byte[] current = Values.string(entry);
    byte[] suffix = c.arg(2);
    if (current == null) {
      db.insert(c.arg(1), suffix);
      c.dirty(1);
      c.notify(NotifyFlags.STRING, "append", c.arg(1));
      c.reply().integer(suffix.length);
      return;
    }
    checkStringLength(c, current.length, suffix.length);
    byte[] joined = Arrays.copyOf(current, current.length + suffix.length);
    System.arraycopy(suffix, 0, joined, current.length, suffix.length);
    db.replace(entry, joined);
    c.dirty(1);
    c.notify(NotifyFlags.STRING, "append", c.arg(1));
    c.reply().integer(joined.length);
  }

  /**
   * Redis's checkStringLength: refuses a string of {@code size + append} bytes (both non-negative)
   * over proto-max-bulk-len, or whose length overflows. Over {@link Values#MAX_ARRAY} too, Sluice's
   * own limit when proto-max-bulk-len is set above it.
   */
  static void checkStringLength(CommandContext c, long size, long append) {
    long total = size + append;
    if (total < 0 || total > c.engine().protoMaxBulkLen() || total > Values.MAX_ARRAY) {
      throw new RedisError(Errors.STRING_TOO_LONG);
    }
  }

  private static void strlen(CommandContext c) {
    byte[] value = Values.string(c.db().read(c.arg(1)));
    c.reply().integer(value == null ? 0 : value.length);
  }

  private static void getrange(CommandContext c) {
    long start = c.longArg(2);
    long end = c.longArg(3);
    byte[] value = Values.string(c.db().read(c.arg(1)));
    if (value == null || value.length == 0 || (start < 0 && end < 0 && start > end)) {
      c.reply().bulk(new byte[0]);
      return;
    }
    long length = value.length;
    if (start < 0) {
      start = Math.max(0, length + start);
    }
    if (end < 0) {
      end = Math.max(0, length + end);
    }
    end = Math.min(end, length - 1);
    if (start > end) {
      c.reply().bulk(new byte[0]);
      return;
    }
    c.reply().bulk(Arrays.copyOfRange(value, (int) start, (int) end + 1));
  }

  private static void setrange(CommandContext c) {
    long offset = c.longArg(2);
    if (offset < 0) {
      throw new RedisError(Errors.OFFSET_OUT_OF_RANGE);
    }
    byte[] patch = c.arg(3);
    Database db = c.db();
    Entry entry = db.write(c.arg(1));
    byte[] current = Values.string(entry);
    if (patch.length == 0) {
      c.reply().integer(current == null ? 0 : current.length);
      return;
    }
    checkStringLength(c, offset, patch.length);
    int oldLength = current == null ? 0 : current.length;
    byte[] result =
        Arrays.copyOf(
            current == null ? new byte[0] : current,
            (int) Math.max(oldLength, offset + patch.length));
    System.arraycopy(patch, 0, result, (int) offset, patch.length);
    if (entry == null) {
      db.insert(c.arg(1), result);
    } else {
      db.replace(entry, result);
    }
    c.dirty(1);
    c.notify(NotifyFlags.STRING, "setrange", c.arg(1));
    c.reply().integer(result.length);
  }

  /** LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN], as Redis's dynamic program. */
  private static void lcs(CommandContext c) {
    boolean len = false;
    boolean idx = false;
    boolean withMatchLen = false;
    long minMatchLen = 0;
    for (int i = 3; i < c.argc(); i++) {
      if (c.is(i, "len")) {
        len = true;
      } else if (c.is(i, "idx")) {
        idx = true;
      } else if (c.is(i, "withmatchlen")) {
        withMatchLen = true;
      } else if (c.is(i, "minmatchlen") && i + 1 < c.argc()) {
        minMatchLen = Math.max(0, c.longArg(++i));
      } else {
        throw new RedisError(Errors.SYNTAX);
      }
    }
    byte[] a;
    byte[] b;
    try {
      a = Values.string(c.db().read(c.arg(1)));
      b = Values.string(c.db().read(c.arg(2)));
    } catch (RedisError e) {
      throw new RedisError("ERR The specified keys must contain string values");
    }
    if (len && idx) {
      throw new RedisError("ERR If you want both the length and indexes, please just use IDX.");
    }
    a = a == null ? new byte[0] : a;
    b = b == null ? new byte[0] : b;
    int alen = a.length;
    int blen = b.length;
    if ((long) (alen + 1) * (blen + 1) * 4 > c.engine().protoMaxBulkLen()) {
      throw new RedisError(
          "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
    }
    int[] table = new int[(alen + 1) * (blen + 1)];
    int width = blen + 1;
    for (int i = 1; i <= alen; i++) {
      for (int j = 1; j <= blen; j++) {
        table[i * width + j] =
            a[i - 1] == b[j - 1]
                ? table[(i - 1) * width + j - 1] + 1
                : Math.max(table[(i - 1) * width + j], table[i * width + j - 1]);
      }
    }
    int length = table[alen * width + blen];
    if (len) {
      c.reply().integer(length);
      return;
    }
    byte[] result = new byte[length];
    List<long[]> matches = new ArrayList<>();
    int i = alen;
    int j = blen;
    int position = length;
    int aStart = alen;
    int aEnd = 0;
    int bStart = 0;
    int bEnd = 0;
    while (i > 0 && j > 0) {
      boolean emit = false;
      if (a[i - 1] == b[j - 1]) {
        result[--position] = a[i - 1];
        if (aStart == alen) {
          aStart = aEnd = i - 1;
          bStart = bEnd = j - 1;
        } else if (aStart == i && bStart == j) {
          aStart--;
          bStart--;
        } else {
          emit = true;
        }
        if (aStart == 0 || bStart == 0) {
          emit = true;
        }
        i--;
        j--;
      } else {
        if (table[(i - 1) * width + j] > table[i * width + j - 1]) {
          i--;
        } else {
          j--;
        }
        if (aStart != alen) {
          emit = true;
        }
      }
      if (emit) {
        long matchLen = aEnd - aStart + 1;
        if (minMatchLen == 0 || matchLen >= minMatchLen) {
          matches.add(new long[] {aStart, aEnd, bStart, bEnd, matchLen});
        }
        aStart = alen;
      }
    }
    Reply reply = c.reply();
    if (!idx) {
      reply.bulk(result);
      return;
    }
    reply.map(2);
    reply.bulk("matches");
    reply.array(matches.size());
    for (long[] m : matches) {
      reply.array(withMatchLen ? 3 : 2);
      reply.array(2);
      reply.integer(m[0]);
      reply.integer(m[1]);
      reply.array(2);
      reply.integer(m[2]);
      reply.integer(m[3]);
      if (withMatchLen) {
        reply.integer(m[4]);
      }
    }
    reply.bulk("len");
    reply.integer(length);
  }
}
