package dev.sluice.proxy.commands.hyperloglog;

import static dev.sluice.proxy.engine.CommandFlag.ADMIN;
import static dev.sluice.proxy.engine.CommandFlag.DENYOOM;
import static dev.sluice.proxy.engine.CommandFlag.WRITE;
import static dev.sluice.proxy.engine.CommandSpec.command;

import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.CommandTable;
import dev.sluice.proxy.engine.KeySpec;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.keyspace.Database;
import dev.sluice.proxy.keyspace.Entry;
import dev.sluice.proxy.types.HyperLogLog;
import dev.sluice.proxy.types.HyperLogLogSelfTest;

/** The internal PFSELFTEST and PFDEBUG GETREG|DECODE|ENCODING|TODENSE, as Redis's hyperloglog.c. */
final class HyperLogLogDebugCommands {
  private HyperLogLogDebugCommands() {}

  static void register(CommandTable t) {
    t.register(
        command("pfselftest", 1, HyperLogLogDebugCommands::pfselftest)
            .flags(ADMIN)
            .group("hyperloglog")
            .doc("An internal command for testing HyperLogLog values.", "2.8.9", "N/A"));
    t.register(
        command("pfdebug", 3, HyperLogLogDebugCommands::pfdebug)
            .flags(WRITE, DENYOOM, ADMIN)
            .keys(KeySpec.key(2, "RW access"))
            .group("hyperloglog")
            .doc("Internal commands for debugging HyperLogLog values.", "2.8.9", "N/A"));
  }

  private static void pfselftest(CommandContext c) {
    String failed = HyperLogLogSelfTest.run();
    if (failed != null) {
      throw new RedisError(failed);
    }
    c.reply().simple("OK");
  }

  /** Redis looks the key up and checks it before it looks at the subcommand. */
  private static void pfdebug(CommandContext c) {
    Database db = c.db();
    Entry entry = db.write(c.arg(2));
    if (entry == null) {
      throw new RedisError("ERR The specified key does not exist");
    }
    byte[] value = HyperLogLogCommands.hll(entry);
    if (c.is(1, "getreg")) {
      byte[] dense = toDense(c, db, entry, value);
      byte[] registers = HyperLogLog.denseRegisters(dense);
      c.reply().array(registers.length);
      for (byte register : registers) {
        c.reply().integer(register);
      }
    } else if (c.is(1, "decode")) {
      if (HyperLogLog.isDense(value)) {
        throw new RedisError("ERR HLL encoding is not sparse");
      }
      c.reply().bulk(HyperLogLog.decodeSparse(value));
    } else if (c.is(1, "encoding")) {
      c.reply().simple(HyperLogLog.isDense(value) ? "dense" : "sparse");
    } else if (c.is(1, "todense")) {
      boolean sparse = !HyperLogLog.isDense(value);
      toDense(c, db, entry, value);
      c.reply().integer(sparse ? 1 : 0);
    } else {
      throw new RedisError("ERR Unknown PFDEBUG subcommand '" + c.text(1) + "'");
    }
  }

  /** The value in the dense encoding, stored so if it was sparse (a change, as for Redis). */
  private static byte[] toDense(CommandContext c, Database db, Entry entry, byte[] value) {
    if (HyperLogLog.isDense(value)) {
      return value;
    }
    HyperLogLog hll = HyperLogLog.of(value);
    if (!hll.toDense()) {
      throw new RedisError(HyperLogLogCommands.CORRUPT);
    }
    byte[] dense = hll.toBytes();
    db.replace(entry, dense);
    c.dirty(1);
    return dense;
  }
}
