package dev.sluice.proxy.commands.bitmap;

import static dev.sluice.proxy.engine.CommandFlag.DENYOOM;
import static dev.sluice.proxy.engine.CommandFlag.FAST;
import static dev.sluice.proxy.engine.CommandFlag.READONLY;
import static dev.sluice.proxy.engine.CommandFlag.WRITE;
import static dev.sluice.proxy.engine.CommandSpec.command;

import dev.sluice.proxy.engine.CommandTable;
import dev.sluice.proxy.engine.KeyProcs;
import dev.sluice.proxy.engine.KeySpec;

/**
 * The bitmap commands of Redis 7.4 on string values. Bit 0 is the most significant bit of the first
 * byte. Strings are never changed in place: a change stores a new array. These are the
 * declarations; the handlers are in {@link BitmapOps} and {@link BitfieldCommand}.
 */
public final class BitmapCommands {
  private BitmapCommands() {}

  public static void register(CommandTable t) {
    t.register(
        command("setbit", 4, BitmapOps::setbit)
            .flags(WRITE, DENYOOM)
            .keys(KeySpec.key(1, "RW access update"))
            .group("bitmap")
            .doc(
                "Sets or clears the bit at offset of the string value. Creates the key if it"
                    + " doesn't exist.",
                "2.2.0",
                "O(1)"));
    t.register(
        command("getbit", 3, BitmapOps::getbit)
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO access"))
            .group("bitmap")
            .doc("Returns a bit value by offset.", "2.2.0", "O(1)"));
    t.register(
        command("bitcount", -2, BitmapOps::bitcount)
            .flags(READONLY)
            .keys(KeySpec.key(1, "RO access"))
            .group("bitmap")
            .doc(
                "Counts the number of set bits (population counting) in a string.",
                "2.6.0",
                "O(N)"));
    t.register(
        command("bitpos", -3, BitmapOps::bitpos)
            .flags(READONLY)
            .keys(KeySpec.key(1, "RO access"))
            .group("bitmap")
            .doc("Finds the first set (1) or clear (0) bit in a string.", "2.8.7", "O(N)"));
    t.register(
        command("bitop", -4, BitmapOps::bitop)
            .flags(WRITE, DENYOOM)
            .keys(KeySpec.key(2, "OW update"), KeySpec.range(3, -1, 1, "RO access"))
            .group("bitmap")
            .doc(
                "Performs bitwise operations on multiple strings, and stores the result.",
                "2.6.0",
                "O(N)"));
    t.register(
        command("bitfield", -2, c -> BitfieldCommand.bitfield(c, false))
            .flags(WRITE, DENYOOM)
            .keys(
                KeySpec.key(1, "RW access update variable_flags")
                    .notes("This command allows both access and modification of the key"))
            .keyProc(KeyProcs.BITFIELD)
            .group("bitmap")
            .doc(
                "Performs arbitrary bitfield integer operations on strings.",
                "3.2.0",
                "O(1) for each subcommand specified"));
    t.register(
        command("bitfield_ro", -2, c -> BitfieldCommand.bitfield(c, true))
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO access"))
            .group("bitmap")
            .doc(
                "Performs arbitrary read-only bitfield integer operations on strings.",
                "6.0.0",
                "O(1) for each subcommand specified"));
  }
}
