package dev.sluice.proxy.commands.hash;

import static dev.sluice.proxy.engine.CommandFlag.DENYOOM;
import static dev.sluice.proxy.engine.CommandFlag.FAST;
import static dev.sluice.proxy.engine.CommandFlag.READONLY;
import static dev.sluice.proxy.engine.CommandFlag.WRITE;
import static dev.sluice.proxy.engine.CommandSpec.command;

import dev.sluice.proxy.engine.CommandTable;
import dev.sluice.proxy.engine.KeySpec;
import dev.sluice.proxy.engine.MappedWrite;

/**
 * The hash commands of Redis 7.4 (without the field-expiry commands): their declarations. The
 * handlers are in {@link HashFields} and {@link HashEnumeration}.
 */
public final class HashCommands {
  private HashCommands() {}

  private static final String SCAN_COMPLEXITY =
      "O(1) for every call. O(N) for a complete iteration, including enough command calls for the"
          + " cursor to return back to 0. N is the number of elements inside the collection.";

  public static void register(CommandTable t) {
    t.register(
        command("hset", -4, c -> HashFields.hset(c, false))
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
        command("hmset", -4, c -> HashFields.hset(c, true))
            .flags(WRITE, DENYOOM, FAST)
            .keys(KeySpec.key(1, "RW update"))
            .mappedWrite(MappedWrite.HASH_SET)
            .group("hash")
            .doc(
                "Sets the values of multiple fields.",
                "2.0.0",
                "O(N) where N is the number of fields being set."));
    t.register(
        command("hsetnx", 4, HashFields::hsetnx)
            .flags(WRITE, DENYOOM, FAST)
            .keys(KeySpec.key(1, "RW insert"))
            .mappedWrite(MappedWrite.HASH_SET)
            .group("hash")
            .doc(
                "Sets the value of a field in a hash only when the field doesn't exist.",
                "2.0.0",
                "O(1)"));
    t.register(
        command("hget", 3, HashFields::hget)
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO access"))
            .group("hash")
            .doc("Returns the value of a field in a hash.", "2.0.0", "O(1)"));
    t.register(
        command("hmget", -3, HashFields::hmget)
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO access"))
            .group("hash")
            .doc(
                "Returns the values of all fields in a hash.",
                "2.0.0",
                "O(N) where N is the number of fields being requested."));
    t.register(
        command("hgetall", 2, HashEnumeration::hgetall)
            .flags(READONLY)
            .keys(KeySpec.key(1, "RO access"))
            .tips("nondeterministic_output_order")
            .group("hash")
            .doc(
                "Returns all fields and values in a hash.",
                "2.0.0",
                "O(N) where N is the size of the hash."));
    t.register(
        command("hkeys", 2, c -> HashEnumeration.hkeysOrVals(c, true))
            .flags(READONLY)
            .keys(KeySpec.key(1, "RO access"))
            .tips("nondeterministic_output_order")
            .group("hash")
            .doc(
                "Returns all fields in a hash.", "2.0.0", "O(N) where N is the size of the hash."));
    t.register(
        command("hvals", 2, c -> HashEnumeration.hkeysOrVals(c, false))
            .flags(READONLY)
            .keys(KeySpec.key(1, "RO access"))
            .tips("nondeterministic_output_order")
            .group("hash")
            .doc(
                "Returns all values in a hash.", "2.0.0", "O(N) where N is the size of the hash."));
    t.register(
        command("hdel", -3, HashFields::hdel)
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
        command("hexists", 3, HashFields::hexists)
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO"))
            .group("hash")
            .doc("Determines whether a field exists in a hash.", "2.0.0", "O(1)"));
    t.register(
        command("hlen", 2, HashFields::hlen)
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO"))
            .group("hash")
            .doc("Returns the number of fields in a hash.", "2.0.0", "O(1)"));
    t.register(
        command("hstrlen", 3, HashFields::hstrlen)
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO"))
            .group("hash")
            .doc("Returns the length of the value of a field.", "3.2.0", "O(1)"));
    t.register(
        command("hincrby", 4, HashFields::hincrby)
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
        command("hincrbyfloat", 4, HashFields::hincrbyfloat)
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
        command("hrandfield", -2, HashEnumeration::hrandfield)
            .flags(READONLY)
            .keys(KeySpec.key(1, "RO access"))
            .tips("nondeterministic_output")
            .group("hash")
            .doc(
                "Returns one or more random fields from a hash.",
                "6.2.0",
                "O(N) where N is the number of fields returned"));
    t.register(
        command("hscan", -3, HashEnumeration::hscan)
            .flags(READONLY)
            .keys(KeySpec.key(1, "RO access"))
            .tips("nondeterministic_output")
            .group("hash")
            .doc("Iterates over fields and values of a hash.", "2.8.0", SCAN_COMPLEXITY));
  }
}
