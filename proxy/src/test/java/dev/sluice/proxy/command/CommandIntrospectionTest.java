package dev.sluice.proxy.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.command.RespSocket.Err;
import dev.sluice.proxy.command.RespSocket.Simple;
import dev.sluice.proxy.testing.TestServer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.params.CommandListFilterByParams;
import redis.clients.jedis.resps.CommandInfo;
import redis.clients.jedis.util.KeyValue;

/**
 * COMMAND's subcommands answered from the command specs, through real clients and as raw RESP3:
 * what {@link CommandGoldenTest} does not compare line by line (reply types, filters, Jedis's
 * parsing of the replies).
 */
class CommandIntrospectionTest {
  private static TestServer server;

  @BeforeAll
  static void startServer() {
    server = TestServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void commandGetKeys_jedis_movableKeysWithTheirFlags() {
    try (Jedis jedis = server.jedis(RedisProtocol.RESP2)) {
      assertEquals(
          List.of("dest", "a", "b"),
          jedis.commandGetKeys("ZUNIONSTORE", "dest", "2", "a", "b", "WEIGHTS", "1", "2"));
      assertEquals(List.of("k1", "k2"), jedis.commandGetKeys("EVAL", "return 1", "2", "k1", "k2"));
      assertEquals(
          List.of(
              KeyValue.of("dest", List.of("OW", "update")),
              KeyValue.of("a", List.of("RO", "access"))),
          jedis.commandGetKeysAndFlags("ZUNIONSTORE", "dest", "1", "a"));
      assertEquals(
          List.of(KeyValue.of("l", List.of("RW", "access", "delete"))),
          jedis.commandGetKeysAndFlags("LMPOP", "1", "l", "LEFT"));
    }
  }

  @Test
  void commandInfo_jedis_parsesLegacyRangeAndTips() {
    try (Jedis jedis = server.jedis(RedisProtocol.RESP2)) {
      // (Jedis 5.2 reads a container's subcommands as names, where Redis sends their info)
      Map<String, CommandInfo> info = jedis.commandInfo("zunionstore", "del");
      CommandInfo zunionstore = info.get("zunionstore");
      assertEquals(-4, zunionstore.getArity());
      assertTrue(zunionstore.getFlags().contains("movablekeys"));
      assertEquals(List.of(1L, 1L, 1L), legacy(zunionstore));
      assertEquals(List.of(1L, -1L, 1L), legacy(info.get("del")));
      assertEquals(
          List.of("request_policy:multi_shard", "response_policy:agg_sum"),
          info.get("del").getTips());
    }
  }

  private static List<Long> legacy(CommandInfo info) {
    return List.of(info.getFirstKey(), info.getLastKey(), info.getStep());
  }

  @Test
  void commandInfo_resp3_tipsKeySpecsAndFlagsAreSets_subcommandsAnArray() {
    try (RespSocket resp3 = RespSocket.connect(server.port())) {
      resp3.call("HELLO", "3");
      List<?> get = (List<?>) ((List<?>) resp3.call("COMMAND", "INFO", "get")).get(0);
      assertEquals(Set.of(), get.get(7), "tips");
      Set<?> specs = assertInstanceOf(Set.class, get.get(8));
      Map<?, ?> spec = (Map<?, ?>) specs.iterator().next();
      assertEquals(Set.of(new Simple("RO"), new Simple("access")), spec.get("flags"));
      assertEquals(Map.of("type", "index", "spec", Map.of("index", 1L)), spec.get("begin_search"));
      assertEquals(Set.of(), get.get(9), "no subcommands: an empty set, as Redis 7.0");
      List<?> object = (List<?>) ((List<?>) resp3.call("COMMAND", "INFO", "object")).get(0);
      assertInstanceOf(List.class, object.get(9));
      assertFalse(((List<?>) object.get(9)).isEmpty());
    }
  }

  @Test
  void commandList_filterBy_aclCategoryPatternAndModule() {
    try (Jedis jedis = server.jedis(RedisProtocol.RESP2)) {
      List<String> sortedSets =
          jedis.commandListFilterBy(
              CommandListFilterByParams.commandListFilterByParams().filterByAclCat("sortedset"));
      assertTrue(sortedSets.containsAll(List.of("zunionstore", "bzmpop")));
      assertFalse(sortedSets.contains("get"));
      assertEquals(
          Set.of(
              "object|encoding",
              "object|freq",
              "object|help",
              "object|idletime",
              "object|refcount"),
          Set.copyOf(
              jedis.commandListFilterBy(
                  CommandListFilterByParams.commandListFilterByParams()
                      .filterByPattern("OBJECT|*"))));
      assertEquals(
          List.of(),
          jedis.commandListFilterBy(
              CommandListFilterByParams.commandListFilterByParams().filterByModule("search")));
      assertEquals(
          List.of(),
          jedis.commandListFilterBy(
              CommandListFilterByParams.commandListFilterByParams().filterByAclCat("nosuch")));
    }
    try (RespSocket resp2 = RespSocket.connect(server.port())) {
      assertEquals(
          new Err("ERR syntax error"), resp2.call("COMMAND", "LIST", "FILTERBY", "nosuch", "x"));
      assertEquals(new Err("ERR syntax error"), resp2.call("COMMAND", "LIST", "extra"));
      List<?> all = (List<?>) resp2.call("COMMAND", "LIST");
      assertTrue(all.containsAll(List.of("config|get", "command|getkeysandflags", "get")));
    }
  }

  @Test
  void commandGetKeys_withoutACommand_arityErrorOfTheSubcommand() {
    try (RespSocket resp2 = RespSocket.connect(server.port())) {
      assertEquals(
          new Err("ERR wrong number of arguments for 'command|getkeys' command"),
          resp2.call("COMMAND", "GETKEYS"));
      assertEquals(
          new Err("ERR Invalid number of arguments specified for command"),
          resp2.call("COMMAND", "GETKEYSANDFLAGS", "get", "a", "b"));
    }
  }

  @Test
  void traits_redisProcessCommandLists_onExactlyThoseCommands() {
    Map<CommandTrait, Set<String>> expected =
        Map.of(
            CommandTrait.NOT_QUEUED,
            Set.of("exec", "discard", "multi", "watch", "quit", "reset"),
            CommandTrait.KEPT_ON_OOM_IN_MULTI,
            Set.of("exec", "discard", "quit", "reset"),
            CommandTrait.ALLOWED_WHILE_SUBSCRIBED,
            Set.of(
                "subscribe", "unsubscribe", "psubscribe", "punsubscribe", "ping", "quit", "reset"),
            CommandTrait.RUNS_QUEUED,
            Set.of("exec"),
            CommandTrait.RUNS_SCRIPT,
            Set.of("eval", "evalsha", "eval_ro", "evalsha_ro"),
            CommandTrait.KILLS_SCRIPT,
            Set.of("script|kill"),
            CommandTrait.APPEND_BURST,
            Set.of("xadd"));
    CommandTable table = Commands.table();
    for (CommandTrait trait : CommandTrait.values()) {
      Set<String> having = new java.util.TreeSet<>();
      for (CommandSpec spec : table.byId()) {
        if (spec.has(trait)) {
          having.add(spec.fullName());
        }
      }
      assertEquals(new java.util.TreeSet<>(expected.get(trait)), having, trait.name());
    }
  }
}
