package dev.sluice.proxy.commands.generic;

import static dev.sluice.proxy.engine.CommandFlag.FAST;
import static dev.sluice.proxy.engine.CommandFlag.READONLY;
import static dev.sluice.proxy.engine.CommandFlag.WRITE;
import static dev.sluice.proxy.engine.CommandSpec.command;
import static dev.sluice.proxy.engine.CommandSpec.container;

import dev.sluice.proxy.commands.Expiry;
import dev.sluice.proxy.commands.Help;
import dev.sluice.proxy.engine.CommandFlag;
import dev.sluice.proxy.engine.CommandTable;
import dev.sluice.proxy.engine.CommandTrait;
import dev.sluice.proxy.engine.KeySpec;
import dev.sluice.proxy.engine.MappedWrite;

/**
 * Commands on keys of any type: existence, renaming, expiry, iteration. These are their
 * declarations; the handlers are in {@link KeyReads}, {@link KeyWrites} and {@link KeyExpiry}.
 */
public final class KeyCommands {
  private KeyCommands() {}

  public static void register(CommandTable t) {
    t.register(
        command("del", -2, c -> c.reply().integer(KeyWrites.deleteAll(c)))
            .flags(WRITE)
            .keys(KeySpec.range(1, -1, 1, "RM delete"))
            .tips("request_policy:multi_shard", "response_policy:agg_sum")
            .evictsCachedKeys()
            .mappedWrite(MappedWrite.DELETE)
            .doc("Deletes one or more keys.", "1.0.0", "O(N)"));
    t.register(
        command("unlink", -2, c -> c.reply().integer(KeyWrites.deleteAll(c)))
            .flags(WRITE, FAST)
            .keys(KeySpec.range(1, -1, 1, "RM delete"))
            .tips("request_policy:multi_shard", "response_policy:agg_sum")
            .evictsCachedKeys()
            .mappedWrite(MappedWrite.DELETE)
            .doc("Asynchronously deletes one or more keys.", "4.0.0", "O(1)"));
    t.register(
        command("exists", -2, KeyReads::exists)
            .flags(READONLY, FAST)
            .keys(KeySpec.range(1, -1, 1, "RO"))
            .tips("request_policy:multi_shard", "response_policy:agg_sum")
            .doc("Determines whether one or more keys exist.", "1.0.0", "O(N)"));
    t.register(
        command("type", 2, KeyReads::type)
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO"))
            .doc("Determines the type of value stored at a key.", "1.0.0", "O(1)"));
    t.register(
        command("rename", 3, c -> KeyWrites.rename(c, false))
            .flags(WRITE)
            .keys(KeySpec.key(1, "RW access delete"), KeySpec.key(2, "OW update"))
            .doc("Renames a key and overwrites the destination.", "1.0.0", "O(1)"));
    t.register(
        command("renamenx", 3, c -> KeyWrites.rename(c, true))
            .flags(WRITE, FAST)
            .keys(KeySpec.key(1, "RW access delete"), KeySpec.key(2, "OW insert"))
            .doc("Renames a key only when the target key name doesn't exist.", "1.0.0", "O(1)"));
    t.register(
        command("copy", -3, KeyWrites::copy)
            .flags(WRITE, CommandFlag.DENYOOM)
            .keys(KeySpec.key(1, "RO access"), KeySpec.key(2, "OW update"))
            .doc("Copies the value of a key to a new key.", "6.2.0", "O(N)"));
    t.register(
        command("dump", 2, KeyDump::dump)
            .flags(READONLY)
            .keys(KeySpec.key(1, "RO access"))
            .tips("nondeterministic_output")
            .doc(
                "Returns a serialized representation of the value stored at a key.",
                "2.6.0",
                "O(1) to access the key and additional O(N*M) to serialize it, where N is the number"
                    + " of Redis objects composing the value and M their average size. For small"
                    + " string values the time complexity is thus O(1)+O(1*M) where M is small, so"
                    + " simply O(1)."));
    t.register(
        command("restore", -4, KeyDump::restore)
            .flags(WRITE, CommandFlag.DENYOOM)
            .keys(KeySpec.key(1, "OW update"))
            .categories("@dangerous")
            .doc(
                "Creates a key from the serialized representation of a value.",
                "2.6.0",
                "O(1) to create the new key and additional O(N*M) to reconstruct the serialized"
                    + " value, where N is the number of Redis objects composing the value and M"
                    + " their average size. For small string values the time complexity is thus"
                    + " O(1)+O(1*M) where M is small, so simply O(1). However for sorted set values"
                    + " the complexity is O(N*M*log(N)) because inserting values into sorted sets"
                    + " is O(log(N))."));
    t.register(
        command("move", 3, KeyWrites::move)
            .flags(WRITE, FAST)
            .keys(KeySpec.key(1, "RW access update"))
            .doc("Moves a key to another database.", "1.0.0", "O(1)"));
    t.register(
        command("keys", 2, KeyReads::keys)
            .flags(READONLY)
            .tips("request_policy:all_shards", "nondeterministic_output_order")
            .categories("@dangerous")
            .doc("Returns all key names that match a pattern.", "1.0.0", "O(N)"));
    t.register(
        command("scan", -2, KeyReads::scan)
            .flags(READONLY)
            .tips("nondeterministic_output", "request_policy:special")
            .doc("Iterates over the key names in the database.", "2.8.0", "O(1)"));
    t.register(
        command("randomkey", 1, KeyReads::randomkey)
            .flags(READONLY)
            .tips("request_policy:all_shards", "nondeterministic_output")
            .doc("Returns a random key name from the database.", "1.0.0", "O(1)"));
    t.register(
        command("touch", -2, KeyReads::touch)
            .flags(READONLY, FAST)
            .traits(CommandTrait.TOUCHES_EVEN_NO_TOUCH)
            .keys(KeySpec.range(1, -1, 1, "RO"))
            .tips("request_policy:multi_shard", "response_policy:agg_sum")
            .doc(
                "Returns the number of existing keys out of those specified after updating the"
                    + " time they were last accessed.",
                "3.2.1",
                "O(N)"));
    t.register(
        container("object")
            .doc("A container for object introspection commands.", "2.2.3", "Depends")
            .sub(
                command("encoding", 3, c -> KeyReads.object(c, "encoding"))
                    .flags(READONLY)
                    .keys(KeySpec.key(2, "RO"))
                    .tips("nondeterministic_output")
                    .doc("Returns the internal encoding of a Redis object.", "2.2.3", "O(1)"))
            .sub(
                command("freq", 3, c -> KeyReads.object(c, "freq"))
                    .flags(READONLY)
                    .keys(KeySpec.key(2, "RO"))
                    .tips("nondeterministic_output")
                    .doc(
                        "Returns the logarithmic access frequency counter of a Redis object.",
                        "4.0.0",
                        "O(1)"))
            .sub(
                command("idletime", 3, c -> KeyReads.object(c, "idletime"))
                    .flags(READONLY)
                    .keys(KeySpec.key(2, "RO"))
                    .tips("nondeterministic_output")
                    .doc(
                        "Returns the time since the last access to a Redis object.",
                        "2.2.3",
                        "O(1)"))
            .sub(
                command("refcount", 3, c -> KeyReads.object(c, "refcount"))
                    .flags(READONLY)
                    .keys(KeySpec.key(2, "RO"))
                    .tips("nondeterministic_output")
                    .doc("Returns the reference count of a value of a key.", "2.2.3", "O(1)"))
            .sub(Help.command("object", "6.2.0")));
    for (String name : new String[] {"expire", "pexpire", "expireat", "pexpireat"}) {
      Expiry.Unit unit =
          switch (name) {
            case "expire" -> Expiry.Unit.SECONDS_RELATIVE;
            case "pexpire" -> Expiry.Unit.MILLIS_RELATIVE;
            case "expireat" -> Expiry.Unit.SECONDS_ABSOLUTE;
            default -> Expiry.Unit.MILLIS_ABSOLUTE;
          };
      t.register(
          command(name, -3, c -> KeyExpiry.expire(c, unit))
              .flags(WRITE, FAST)
              .keys(KeySpec.key(1, "RW update"))
              .mappedWrite(MappedWrite.CACHE_ONLY)
              .doc(
                  "Sets the expiration time of a key"
                      + (name.endsWith("at") ? " to a Unix timestamp." : ".")
                      + (name.startsWith("p") ? " In milliseconds." : ""),
                  name.startsWith("p") ? "2.6.0" : name.equals("expire") ? "1.0.0" : "1.2.0",
                  "O(1)"));
    }
    t.register(
        command("ttl", 2, c -> KeyExpiry.ttl(c, false, false))
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO access"))
            .tips("nondeterministic_output")
            .doc("Returns the expiration time in seconds of a key.", "1.0.0", "O(1)"));
    t.register(
        command("pttl", 2, c -> KeyExpiry.ttl(c, true, false))
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO access"))
            .tips("nondeterministic_output")
            .doc("Returns the expiration time in milliseconds of a key.", "2.6.0", "O(1)"));
    t.register(
        command("expiretime", 2, c -> KeyExpiry.ttl(c, false, true))
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO access"))
            .doc("Returns the expiration time of a key as a Unix timestamp.", "7.0.0", "O(1)"));
    t.register(
        command("pexpiretime", 2, c -> KeyExpiry.ttl(c, true, true))
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO access"))
            .doc(
                "Returns the expiration time of a key as a Unix milliseconds timestamp.",
                "7.0.0",
                "O(1)"));
    t.register(
        command("persist", 2, KeyExpiry::persist)
            .flags(WRITE, FAST)
            .keys(KeySpec.key(1, "RW update"))
            .mappedWrite(MappedWrite.CACHE_ONLY)
            .doc("Removes the expiration time of a key.", "2.2.0", "O(1)"));
  }
}
