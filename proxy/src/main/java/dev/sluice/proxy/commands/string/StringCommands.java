package dev.sluice.proxy.commands.string;

import static dev.sluice.proxy.engine.CommandFlag.DENYOOM;
import static dev.sluice.proxy.engine.CommandFlag.FAST;
import static dev.sluice.proxy.engine.CommandFlag.READONLY;
import static dev.sluice.proxy.engine.CommandFlag.WRITE;
import static dev.sluice.proxy.engine.CommandSpec.command;

import dev.sluice.proxy.commands.Expiry;
import dev.sluice.proxy.engine.CommandTable;
import dev.sluice.proxy.engine.KeyProcs;
import dev.sluice.proxy.engine.KeySpec;
import dev.sluice.proxy.engine.MappedWrite;

/**
 * The string commands of Redis 7.4: their declarations. The handlers are in {@link StringGetSet},
 * {@link StringCounters} and {@link StringRanges}.
 */
public final class StringCommands {
  private StringCommands() {}

  public static void register(CommandTable t) {
    t.register(
        command("get", 2, StringGetSet::get)
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO access"))
            .group("string")
            .doc("Returns the string value of a key.", "1.0.0", "O(1)"));
    t.register(
        command("set", -3, StringGetSet::set)
            .flags(WRITE, DENYOOM)
            .keys(
                KeySpec.key(1, "RW access update variable_flags")
                    .notes("RW and ACCESS due to the optional `GET` argument"))
            .keyProc(KeyProcs.SET)
            .loadsKeysUnless(StringGetSet::replacesWhole)
            .mappedWrite(MappedWrite.JSON_SET)
            .group("string")
            .doc(
                "Sets the string value of a key, ignoring its type. The key is created if it"
                    + " doesn't exist.",
                "1.0.0",
                "O(1)"));
    t.register(
        command("setnx", 3, StringGetSet::setnx)
            .flags(WRITE, DENYOOM, FAST)
            .keys(KeySpec.key(1, "OW insert"))
            .group("string")
            .doc(
                "Set the string value of a key only when the key doesn't exist.", "1.0.0", "O(1)"));
    t.register(
        command("setex", 4, c -> StringGetSet.setWithExpiry(c, Expiry.Unit.SECONDS_RELATIVE))
            .flags(WRITE, DENYOOM)
            .keys(KeySpec.key(1, "OW update"))
            .group("string")
            .doc("Sets the string value and expiration time of a key.", "2.0.0", "O(1)"));
    t.register(
        command("psetex", 4, c -> StringGetSet.setWithExpiry(c, Expiry.Unit.MILLIS_RELATIVE))
            .flags(WRITE, DENYOOM)
            .keys(KeySpec.key(1, "OW update"))
            .group("string")
            .doc(
                "Sets both string value and expiration time in milliseconds of a key.",
                "2.6.0",
                "O(1)"));
    t.register(
        command("getex", -2, StringGetSet::getex)
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
        command("getdel", 2, StringGetSet::getdel)
            .flags(WRITE, FAST)
            .keys(KeySpec.key(1, "RW access delete"))
            .group("string")
            .doc("Returns the string value of a key after deleting the key.", "6.2.0", "O(1)"));
    t.register(
        command("getset", 3, StringGetSet::getset)
            .flags(WRITE, DENYOOM, FAST)
            .keys(KeySpec.key(1, "RW access update"))
            .group("string")
            .doc(
                "Returns the previous string value of a key after setting it to a new value.",
                "1.0.0",
                "O(1)"));
    t.register(
        command("mget", -2, StringGetSet::mget)
            .flags(READONLY, FAST)
            .keys(KeySpec.range(1, -1, 1, "RO access"))
            .tips("request_policy:multi_shard")
            .group("string")
            .doc("Atomically returns the string values of one or more keys.", "1.0.0", "O(N)"));
    t.register(
        command("mset", -3, c -> StringGetSet.mset(c, false))
            .flags(WRITE, DENYOOM)
            .keys(KeySpec.range(1, -1, 2, "OW update"))
            .tips("request_policy:multi_shard", "response_policy:all_succeeded")
            .group("string")
            .doc(
                "Atomically creates or modifies the string values of one or more keys.",
                "1.0.1",
                "O(N)"));
    t.register(
        command("msetnx", -3, c -> StringGetSet.mset(c, true))
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
        command("incr", 2, c -> StringCounters.incrBy(c, 1))
            .flags(WRITE, DENYOOM, FAST)
            .keys(KeySpec.key(1, "RW access update"))
            .group("string")
            .doc("Increments the integer value of a key by one.", "1.0.0", "O(1)"));
    t.register(
        command("decr", 2, c -> StringCounters.incrBy(c, -1))
            .flags(WRITE, DENYOOM, FAST)
            .keys(KeySpec.key(1, "RW access update"))
            .group("string")
            .doc("Decrements the integer value of a key by one.", "1.0.0", "O(1)"));
    t.register(
        command("incrby", 3, c -> StringCounters.incrBy(c, c.longArg(2)))
            .flags(WRITE, DENYOOM, FAST)
            .keys(KeySpec.key(1, "RW access update"))
            .group("string")
            .doc("Increments the integer value of a key by a number.", "1.0.0", "O(1)"));
    t.register(
        command("decrby", 3, StringCounters::decrby)
            .flags(WRITE, DENYOOM, FAST)
            .keys(KeySpec.key(1, "RW access update"))
            .group("string")
            .doc("Decrements a number from the integer value of a key.", "1.0.0", "O(1)"));
    t.register(
        command("incrbyfloat", 3, StringCounters::incrbyfloat)
            .flags(WRITE, DENYOOM, FAST)
            .keys(KeySpec.key(1, "RW access update"))
            .group("string")
            .doc("Increment the floating point value of a key by a number.", "2.6.0", "O(1)"));
    t.register(
        command("append", 3, StringRanges::append)
            .flags(WRITE, DENYOOM, FAST)
            .keys(KeySpec.key(1, "RW insert"))
            .group("string")
            .doc(
                "Appends a string to the value of a key. Creates the key if it doesn't exist.",
                "2.0.0",
                "O(1)"));
    t.register(
        command("strlen", 2, StringRanges::strlen)
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO"))
            .group("string")
            .doc("Returns the length of a string value.", "2.2.0", "O(1)"));
    t.register(
        command("getrange", 4, StringRanges::getrange)
            .flags(READONLY)
            .keys(KeySpec.key(1, "RO access"))
            .group("string")
            .doc("Returns a substring of the string stored at a key.", "2.4.0", "O(N)"));
    t.register(
        command("substr", 4, StringRanges::getrange)
            .flags(READONLY)
            .keys(KeySpec.key(1, "RO access"))
            .group("string")
            .doc("Returns a substring from a string value.", "1.0.0", "O(N)"));
    t.register(
        command("setrange", 4, StringRanges::setrange)
            .flags(WRITE, DENYOOM)
            .keys(KeySpec.key(1, "RW update"))
            .group("string")
            .doc(
                "Overwrites a part of a string value with another by an offset. Creates the key"
                    + " if it doesn't exist.",
                "2.2.0",
                "O(1)"));
    t.register(
        command("lcs", -3, StringRanges::lcs)
            .flags(READONLY)
            .keys(KeySpec.range(1, 1, 1, "RO access"))
            .group("string")
            .doc("Finds the longest common substring.", "7.0.0", "O(N*M)"));
  }
}
