package dev.sluice.proxy.commands.server;

import static dev.sluice.proxy.engine.CommandFlag.ADMIN;
import static dev.sluice.proxy.engine.CommandFlag.ALLOW_BUSY;
import static dev.sluice.proxy.engine.CommandFlag.FAST;
import static dev.sluice.proxy.engine.CommandFlag.LOADING;
import static dev.sluice.proxy.engine.CommandFlag.NOSCRIPT;
import static dev.sluice.proxy.engine.CommandFlag.NO_MULTI;
import static dev.sluice.proxy.engine.CommandFlag.READONLY;
import static dev.sluice.proxy.engine.CommandFlag.STALE;
import static dev.sluice.proxy.engine.CommandFlag.WRITE;
import static dev.sluice.proxy.engine.CommandSpec.command;
import static dev.sluice.proxy.engine.CommandSpec.container;

import dev.sluice.proxy.commands.Help;
import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.CommandTable;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.keyspace.Keyspace;
import dev.sluice.proxy.resp.Reply;
import dev.sluice.proxy.runtime.ConfigParameters;
import dev.sluice.proxy.runtime.Info;
import dev.sluice.proxy.runtime.ServerContext;
import dev.sluice.proxy.util.Glob;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Server-wide commands: sizes, flushing, time, configuration. */
public final class ServerCommands {
  private static final Logger log = LoggerFactory.getLogger(ServerCommands.class);

  private final ServerContext server;

  public ServerCommands(ServerContext server) {
    this.server = server;
  }

  public void register(CommandTable t) {
    t.register(
        command("dbsize", 1, c -> c.reply().integer(c.db().size()))
            .flags(READONLY, FAST)
            .tips("request_policy:all_shards", "response_policy:agg_sum")
            .categories("@keyspace")
            .group("server")
            .doc("Returns the number of keys in the database.", "1.0.0", "O(1)"));
    t.register(
        command("flushdb", -1, c -> flush(c, false))
            .flags(WRITE)
            .tips("request_policy:all_shards", "response_policy:all_succeeded")
            .categories("@keyspace", "@dangerous")
            .group("server")
            .doc("Removes all keys from the current database.", "1.0.0", "O(N)"));
    t.register(
        command("flushall", -1, c -> flush(c, true))
            .flags(WRITE)
            .tips("request_policy:all_shards", "response_policy:all_succeeded")
            .categories("@keyspace", "@dangerous")
            .group("server")
            .doc("Removes all keys from all databases.", "1.0.0", "O(N)"));
    t.register(
        command("swapdb", 3, this::swapdb)
            .flags(WRITE, FAST)
            .categories("@keyspace", "@dangerous")
            .group("server")
            .doc("Swaps two Redis databases.", "4.0.0", "O(N)"));
    t.register(
        command("time", 1, this::time)
            .flags(LOADING, STALE, FAST)
            .tips("nondeterministic_output")
            .group("server")
            .doc("Returns the server time.", "2.6.0", "O(1)"));
    t.register(
        command("info", -1, c -> Info.info(server, c))
            .flags(LOADING, STALE)
            .tips("nondeterministic_output", "request_policy:all_shards", "response_policy:special")
            .categories("@dangerous")
            .group("server")
            .doc("Returns information and statistics about the server.", "1.0.0", "O(1)"));
    t.register(
        container("config")
            .group("server")
            .doc("A container for server configuration commands.", "2.0.0", "Depends")
            .sub(
                command("get", -3, this::configGet)
                    .flags(ADMIN, NOSCRIPT, LOADING, STALE)
                    .doc(
                        "Returns the effective values of configuration parameters.",
                        "2.0.0",
                        "O(N)"))
            .sub(
                command("set", -4, this::configSet)
                    .flags(ADMIN, NOSCRIPT, LOADING, STALE)
                    .tips("request_policy:all_nodes", "response_policy:all_succeeded")
                    .doc("Sets configuration parameters in-flight.", "2.0.0", "O(N)"))
            .sub(
                command("resetstat", 2, this::resetStat)
                    .flags(ADMIN, NOSCRIPT, LOADING, STALE)
                    .doc("Resets the server's statistics.", "2.0.0", "O(1)"))
            .sub(ConfigRewriteCommand.spec(server))
            .sub(Help.command("config")));
    CommandIntrospection.register(t);
    SlowLogCommand.register(t);
    LolwutCommand.register(t);
    LatencyCommand.register(t, server);
    t.register(
        command("monitor", 1, ServerCommands::monitor)
            .flags(ADMIN, NOSCRIPT, LOADING, STALE)
            .group("server")
            .doc("Listens for all requests received by the server in real-time.", "1.0.0", null));
    t.register(
        command("shutdown", -1, this::shutdown)
            .flags(ADMIN, NOSCRIPT, LOADING, STALE, NO_MULTI, ALLOW_BUSY)
            .group("server")
            .doc(
                "Synchronously saves the database(s) to disk and shuts down the Redis server.",
                "1.0.0",
                "O(N) when saving, where N is the total number of keys in all databases when saving"
                    + " data, otherwise O(1)"));
    MemoryCommand.register(t);
    PersistenceCommands.register(t, server);
  }

  /**
   * SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT], with Redis's argument rules. As Redis, it writes
   * the RDB file first with SAVE, or without NOSAVE when save points are configured; a failed save
   * stops the shutdown unless FORCE. What must survive of mapped keys is in the journal, durable
   * before it was acknowledged. NOW has nothing to skip; ABORT finds no shutdown in progress, since
   * one starts at once. As in Redis, a shutdown sends no reply: the connection closes with the
   * server.
   */
  private void shutdown(CommandContext c) {
    boolean save = false;
    boolean noSave = false;
    boolean other = false;
    boolean force = false;
    boolean abort = false;
    for (int i = 1; i < c.argc(); i++) {
      if (c.is(i, "nosave")) {
        noSave = true;
      } else if (c.is(i, "save")) {
        save = true;
      } else if (c.is(i, "now")) {
        other = true;
      } else if (c.is(i, "force")) {
        other = true;
        force = true;
      } else if (c.is(i, "abort")) {
        abort = true;
      } else {
        throw new RedisError(Errors.SYNTAX);
      }
    }
    if ((abort && (save || noSave || other)) || (save && noSave)) {
      throw new RedisError(Errors.SYNTAX);
    }
    if (abort) {
      throw new RedisError("ERR No shutdown in progress.");
    }
    if (!noSave && (save || server.persistence().savesOnShutdown())) {
      if (!server.persistence().saveNow() && !force) {
        throw new RedisError("ERR Errors trying to SHUTDOWN. Check logs.");
      }
    }
    log.warn("SHUTDOWN by client {} ({}): stopping", c.session().id(), c.session().user());
    server.shutdown();
  }

  /** MONITOR: from now on the client receives a line per command any client runs. */
  private static void monitor(CommandContext c) {
    if (!c.canBlock()) {
      // a client that expects one reply per command (in MULTI) cannot monitor, as in Redis
      throw new RedisError("ERR MONITOR isn't allowed for DENY BLOCKING client");
    }
    if (c.engine().monitors().add(c.session())) {
      c.reply().simple("OK");
    }
  }

  private void flush(CommandContext c, boolean all) {
    if (c.argc() > 2 || (c.argc() == 2 && !c.is(1, "async") && !c.is(1, "sync"))) {
      throw new RedisError(Errors.SYNTAX);
    }
    Keyspace keyspace = c.keyspace();
    long removed = 0; // as Redis's emptyData, keys that expired but are still there included
    if (all) {
      for (int i = 0; i < keyspace.databaseCount(); i++) {
        removed += keyspace.db(i).size();
      }
      keyspace.flushAll();
    } else {
      removed = c.db().size();
      keyspace.flush(c.session().db());
    }
    c.dirty(removed);
    c.effects().force(); // as Redis: replicas flush too, even what looked empty here
    c.reply().simple("OK");
  }

  private void swapdb(CommandContext c) {
    Keyspace keyspace = c.keyspace();
    long a = c.longArg(1, "ERR invalid first DB index");
    long b = c.longArg(2, "ERR invalid second DB index");
    if (a < 0 || a >= keyspace.databaseCount() || b < 0 || b >= keyspace.databaseCount()) {
      throw new RedisError(Errors.DB_OUT_OF_RANGE);
    }
    keyspace.swap((int) a, (int) b);
    c.dirty(1); // even when a is b, as Redis
    c.reply().simple("OK");
  }

  private void time(CommandContext c) {
    long micros = c.keyspace().clock().micros();
    c.reply().array(2);
    c.reply().bulk(Long.toString(micros / 1_000_000));
    c.reply().bulk(Long.toString(micros % 1_000_000));
  }

  /** CONFIG GET pattern [pattern ...]: a map in RESP3, a flat array in RESP2. */
  private void configGet(CommandContext c) {
    Map<String, String> all = server.parameters().snapshot();
    Map<String, String> matched = new LinkedHashMap<>();
    for (int i = 2; i < c.argc(); i++) {
      String pattern = c.text(i);
      all.forEach(
          (name, value) -> {
            if (Glob.matchesIgnoreCase(pattern, name)) {
              matched.put(name, value);
            }
          });
    }
    Reply reply = c.reply();
    reply.map(matched.size());
    matched.forEach(
        (name, value) -> {
          reply.bulk(name);
          reply.bulk(value);
        });
  }

  /** CONFIG SET name value [name value ...]: all or nothing, as Redis 7. */
  private void configSet(CommandContext c) {
    if (c.argc() % 2 != 0) {
      throw new RedisError(Errors.SYNTAX); // Redis: a name without a value is a syntax error
    }
    ConfigParameters parameters = server.parameters();
    Map<String, Object> parsed = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    for (int i = 2; i < c.argc(); i += 2) {
      String name = c.text(i).toLowerCase(java.util.Locale.ROOT);
      if (!parameters.exists(name)) {
        throw new RedisError(
            "ERR Unknown option or number of arguments for CONFIG SET - '" + c.text(i) + "'");
      }
      if (!seen.add(name)) {
        throw ConfigParameters.setFailed(name, "duplicate parameter");
      }
      parsed.put(name, parameters.validate(name, c.text(i + 1)));
    }
    Map<String, Object> previous = new LinkedHashMap<>();
    parsed.keySet().forEach(name -> previous.put(name, parameters.current(name)));
    parsed.forEach(parameters::apply);
    try {
      server.parametersChanged(parsed.keySet());
    } catch (RedisError e) {
      previous.forEach(parameters::apply); // all or nothing, as Redis
      throw e;
    }
    c.reply().simple("OK");
  }

  private void resetStat(CommandContext c) {
    c.engine().stats().reset();
    c.keyspace().stats().reset();
    c.engine().commandLatencies().reset(); // as Redis's resetCommandTableStats
    c.reply().simple("OK");
  }
}
