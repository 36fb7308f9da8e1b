package dev.sluice.proxy.commands.hyperloglog;

import static dev.sluice.proxy.engine.CommandFlag.DENYOOM;
import static dev.sluice.proxy.engine.CommandFlag.FAST;
import static dev.sluice.proxy.engine.CommandFlag.READONLY;
import static dev.sluice.proxy.engine.CommandFlag.WRITE;
import static dev.sluice.proxy.engine.CommandSpec.command;

import dev.sluice.proxy.commands.Values;
import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.CommandTable;
import dev.sluice.proxy.engine.CommandTrait;
import dev.sluice.proxy.engine.KeySpec;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.keyspace.Database;
import dev.sluice.proxy.keyspace.Entry;
import dev.sluice.proxy.keyspace.NotifyFlags;
import dev.sluice.proxy.types.HyperLogLog;

/**
 * PFADD, PFCOUNT and PFMERGE on string values in Redis's HyperLogLog format (see {@link
 * HyperLogLog}). As strings are never changed in place, every change stores a new array.
 */
public final class HyperLogLogCommands {
  private HyperLogLogCommands() {}

  static final String NOT_HLL = "WRONGTYPE Key is not a valid HyperLogLog string value.";
  static final String CORRUPT = "INVALIDOBJ Corrupted HLL object detected";

  public static void register(CommandTable t) {
    t.register(
        command("pfadd", -2, HyperLogLogCommands::pfadd)
            .flags(WRITE, DENYOOM, FAST)
            .keys(KeySpec.key(1, "RW insert"))
            .group("hyperloglog")
            .doc(
                "Adds elements to a HyperLogLog key. Creates the key if it doesn't exist.",
                "2.8.9",
                "O(1) to add every element."));
    t.register(
        command("pfcount", -2, HyperLogLogCommands::pfcount)
            .flags(READONLY)
            .traits(CommandTrait.MAY_REPLICATE)
            .keys(
                KeySpec.range(1, -1, 1, "RW access")
                    .notes(
                        "RW because it may change the internal representation of the key, and propagate to replicas"))
            .group("hyperloglog")
            .doc(
                "Returns the approximated cardinality of the set(s) observed by the HyperLogLog"
                    + " key(s).",
                "2.8.9",
                "O(1) with a very small average constant time when called with a single key. O(N)"
                    + " with N being the number of keys, and much bigger constant times, when"
                    + " called with multiple keys."));
    t.register(
        command("pfmerge", -2, HyperLogLogCommands::pfmerge)
            .flags(WRITE, DENYOOM)
            .keys(KeySpec.key(1, "RW access insert"), KeySpec.range(2, -1, 1, "RO access"))
            .group("hyperloglog")
            .doc(
                "Merges one or more HyperLogLog values into a single key.",
                "2.8.9",
                "O(N) to merge N HyperLogLogs, but with high constant times."));
    HyperLogLogDebugCommands.register(t);
  }

  /** The string value of an entry checked to be an HLL; null for a missing key. */
  static byte[] hll(Entry entry) {
    byte[] value = Values.string(entry);
    if (value != null && !HyperLogLog.isValid(value)) {
      throw new RedisError(NOT_HLL);
    }
    return value;
  }

  private static void pfadd(CommandContext c) {
    Database db = c.db();
    byte[] key = c.arg(1);
    Entry entry = db.write(key);
    byte[] current = hll(entry);
    HyperLogLog hll = current == null ? HyperLogLog.create() : null;
    boolean updated = current == null;
    int changes = updated ? 1 : 0; // Redis counts the creation and each register raised
    for (int i = 2; i < c.argc(); i++) {
      byte[] element = c.arg(i);
      if (hll == null) {
        // copy the stored value only once something changes; a dense one is 12 KB
        if (HyperLogLog.isDense(current) && !HyperLogLog.denseWouldChange(current, element)) {
          continue;
        }
        hll = HyperLogLog.of(current);
      }
      int result = hll.add(element);
      if (result < 0) {
        if (updated) {
          // Redis changes the value in place: what the elements before changed stays
          db.replace(entry, hll.toBytes());
        }
        throw new RedisError(CORRUPT);
      }
      if (result == 1) {
        updated = true;
        changes++;
      }
    }
    if (!updated) {
      c.reply().integer(0);
      return;
    }
    hll.invalidateCache();
    if (entry == null) {
      db.insert(key, hll.toBytes());
    } else {
      db.replace(entry, hll.toBytes());
    }
    c.dirty(changes);
    c.notify(NotifyFlags.STRING, "pfadd", key);
    c.reply().integer(1);
  }

  private static void pfcount(CommandContext c) {
    Database db = c.db();
    if (c.argc() > 2) {
      byte[] max = new byte[HyperLogLog.REGISTERS];
      for (int i = 1; i < c.argc(); i++) {
        byte[] value = hll(db.read(c.arg(i)));
        if (value != null && !HyperLogLog.mergeInto(max, value)) {
          throw new RedisError(CORRUPT);
        }
      }
      c.reply().integer(HyperLogLog.countRaw(max));
      return;
    }
    Entry entry = db.read(c.arg(1));
    byte[] value = hll(entry);
    if (value == null) {
      c.reply().integer(0);
      return;
    }
    long card = HyperLogLog.cachedCount(value);
    if (card == -1) {
      card = HyperLogLog.count(value);
      if (card == -1) {
        throw new RedisError(CORRUPT);
      }
      // Redis stores the computed cardinality in the value, so GET sees it too
      db.replace(entry, HyperLogLog.withCachedCount(value, card));
      c.dirty(1);
    }
    c.reply().integer(card);
  }

  private static void pfmerge(CommandContext c) {
    Database db = c.db();
    byte[] max = new byte[HyperLogLog.REGISTERS];
    boolean dense = false;
    for (int i = 1; i < c.argc(); i++) {
      byte[] value = hll(db.read(c.arg(i)));
      if (value == null) {
        continue;
      }
      dense |= HyperLogLog.isDense(value);
      if (!HyperLogLog.mergeInto(max, value)) {
        throw new RedisError(CORRUPT);
      }
    }
    byte[] key = c.arg(1);
    Entry entry = db.write(key);
    byte[] current = Values.string(entry); // checked as a source above
    HyperLogLog hll = current == null ? HyperLogLog.create() : HyperLogLog.of(current);
    if (dense && !hll.toDense()) {
      throw new RedisError(CORRUPT);
    }
    for (int j = 0; j < HyperLogLog.REGISTERS; j++) {
      if (max[j] != 0) {
        hll.set(j, max[j]);
      }
    }
    hll.invalidateCache();
    if (entry == null) {
      db.insert(key, hll.toBytes());
    } else {
      db.replace(entry, hll.toBytes());
    }
    // Redis sends a pfadd event for PFMERGE: in theory it is a mass-add of elements
    c.notify(NotifyFlags.STRING, "pfadd", key);
    c.dirty(1);
    c.reply().simple("OK");
  }
}
