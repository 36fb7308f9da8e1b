package dev.sluice.proxy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.config.SluiceConfig;
import dev.sluice.proxy.Commands;
import dev.sluice.proxy.runtime.ServerContext;
import dev.sluice.proxy.testing.GoldenFiles;
import dev.sluice.proxy.testing.ManualClock;
import dev.sluice.proxy.testing.RespSocket;
import dev.sluice.proxy.testing.RespSocket.Err;
import dev.sluice.proxy.testing.RespSocket.Simple;
import dev.sluice.proxy.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.params.CommandListFilterByParams;
import redis.clients.jedis.resps.CommandInfo;
import redis.clients.jedis.util.KeyValue;

/**
 * Sluice's command table against what redis-server 7.0.15 answered, as recorded in {@code
 * golden/command-info.jsonl} and {@code golden/command-getkeys.jsonl} by {@code
 * tools/golden/command-keyspecs.sh}: for every command and subcommand both have, COMMAND INFO's
 * arity, flags, first/last/step, ACL categories, tips, key specs and subcommands and COMMAND DOCS'
 * group; and for every recorded invocation of a command Sluice has, the replies of COMMAND GETKEYS
 * and COMMAND GETKEYSANDFLAGS, errors included. Sluice answers over a real socket, in RESP3 (key
 * specs are maps, flags sets, as Redis 7.0 sends them). Besides: reply types, COMMAND LIST's
 * filters, Jedis's parsing of the replies, and the traits that stand for Redis's processCommand
 * lists.
 */
class CommandGoldenTest {

  /**
   * Where Sluice follows a later Redis on purpose: ZRANK and ZREVRANK take 7.2's WITHSCORE (arity
   * -3 where 7.0 has 3), and CLIENT SETINFO and CLIENT NO-TOUCH (7.2) are subcommands 7.0 does not
   * have.
   */
  private static final Map<String, Set<String>> LATER_REDIS =
      Map.of(
          "zrank",
          Set.of("arity"),
          "zrevrank",
          Set.of("arity"),
          "client",
          Set.of("setinfo", "no-touch"));

  private static final List<Map<String, Object>> INFO = plain(GoldenFiles.INFO);
  private static final List<Map<String, Object>> GETKEYS = plain(GoldenFiles.GETKEYS);

  private static TestServer server;
  private static RespSocket resp3;

  @BeforeAll
  static void startServer() {
    server = TestServer.start();
    resp3 = RespSocket.connect(server.port());
    resp3.call("HELLO", "3");
  }

  @AfterAll
  static void stopServer() {
    resp3.close();
    server.close();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> plain(List<JsonNode> lines) {
    return lines.stream()
        .map(l -> (Map<String, Object>) GoldenFiles.JSON.convertValue(l, Map.class))
        .toList();
  }

  /** A golden row, shown by its command's name. */
  record Row(Map<String, Object> golden) {
    Object get(String field) {
      return golden.get(field);
    }

    @Override
    public String toString() {
      Object name = golden.get("name");
      return name != null ? (String) name : String.join(" ", args(this));
    }
  }

  /** The golden rows of the commands and subcommands Sluice also has. */
  static Stream<Row> sharedCommands() {
    return INFO.stream().filter(row -> find(TABLE, (String) row.get("name")) != null).map(Row::new);
  }

  /** The golden invocations of commands Sluice has (or that Redis itself did not know). */
  static Stream<Row> sharedInvocations() {
    return GETKEYS.stream()
        .map(Row::new)
        .filter(
            row ->
                TABLE.lookup(args(row).get(0)) != null
                    || errorOf(row.get("getkeys")).equals("ERR Invalid command specified"));
  }

  /** Sluice's command table, the one every server serves. */
  private static final CommandTable TABLE = servedTable();

  private static CommandTable servedTable() {
    return new ServerContext(SluiceConfig.builder().build(), new ManualClock(), Commands::register)
        .commands();
  }

  private static CommandSpec find(CommandTable table, String fullName) {
    String[] parts = fullName.split("\\|", 2);
    CommandSpec spec = table.lookup(parts[0]);
    return spec == null || parts.length == 1 ? spec : spec.subcommands().get(parts[1]);
  }

  @SuppressWarnings("unchecked")
  private static List<String> args(Row row) {
    return (List<String>) row.get("args");
  }

  private static String errorOf(Object reply) {
    return reply instanceof Map<?, ?> m && m.get("error") instanceof String e ? e : "";
  }

  /**
   * A RESP3 reply as the golden file has it (redis-cli --json): simple and bulk strings alike, sets
   * and arrays as lists, maps with their order, integers as longs.
   */
  private static Object plain(Object reply) {
    if (reply instanceof Simple s) {
      return s.text();
    }
    if (reply instanceof Err e) {
      return Map.of("error", e.message());
    }
    if (reply instanceof Integer i) {
      return i.longValue();
    }
    if (reply instanceof Collection<?> c) {
      return c.stream().map(CommandGoldenTest::plain).toList();
    }
    if (reply instanceof Map<?, ?> m) {
      Map<Object, Object> copy = new LinkedHashMap<>();
      m.forEach((k, v) -> copy.put(plain(k), plain(v)));
      return copy;
    }
    return reply;
  }

  private static List<?> info(String name) {
    List<?> reply = (List<?>) resp3.call("COMMAND", "INFO", name);
    return (List<?>) reply.get(0);
  }

  // ---- COMMAND INFO and DOCS ----

  @ParameterizedTest(name = "{0}")
  @MethodSource("sharedCommands")
  void commandInfo_sharedCommand_answersAsRedis(Row golden) {
    String name = (String) golden.get("name");
    Set<String> later = LATER_REDIS.getOrDefault(name, Set.of());
    List<?> info = info(name);
    assertEquals(10, info.size());
    assertEquals(name, info.get(0));
    if (!later.contains("arity")) {
      assertEquals(plain(golden.get("arity")), info.get(1), name + " arity");
    }
    assertEquals(
        new TreeSet<>(strings(golden.get("flags"))),
        new TreeSet<>(strings(plain(info.get(2)))),
        name + " flags");
    assertEquals(
        List.of(
            plain(golden.get("first_key")),
            plain(golden.get("last_key")),
            plain(golden.get("step"))),
        info.subList(3, 6),
        name + " first/last/step");
    assertEquals(
        new TreeSet<>(strings(golden.get("acl_categories"))),
        new TreeSet<>(strings(plain(info.get(6)))),
        name + " ACL categories");
    assertEquals(plain(golden.get("tips")), plain(info.get(7)), name + " tips");
    assertEquals(plain(golden.get("key_specs")), plain(info.get(8)), name + " key specs");
    Set<String> subcommands = new TreeSet<>();
    for (Object sub : (Collection<?>) info.get(9)) {
      String subName = (String) ((List<?>) sub).get(0);
      if (!later.contains(subName.substring(subName.indexOf('|') + 1))) {
        subcommands.add(subName);
      }
    }
    assertTrue(
        strings(golden.get("subcommands")).containsAll(subcommands),
        name + ": subcommands Redis does not have: " + subcommands);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sharedCommands")
  void commandDocs_sharedCommand_redisGroupAndSince(Row golden) {
    String name = (String) golden.get("name");
    Map<?, ?> docs = (Map<?, ?>) resp3.call("COMMAND", "DOCS", name);
    Map<?, ?> doc = (Map<?, ?>) docs.get(name);
    assertNotNull(doc, "COMMAND DOCS " + name);
    assertEquals(golden.get("group"), doc.get("group"), name + " group");
    assertEquals(golden.get("since"), doc.get("since"), name + " since");
  }

  @Test
  void goldenInfo_coversEveryCommandOfSluiceButItsOwnAndLaterRedis() {
    Set<String> recorded = new TreeSet<>();
    INFO.forEach(row -> recorded.add((String) row.get("name")));
    Set<String> unrecorded = new TreeSet<>();
    for (CommandSpec spec : TABLE.byId()) {
      if (!recorded.contains(spec.fullName())) {
        unrecorded.add(spec.fullName());
      }
    }
    unrecorded.removeIf(
        n -> n.equals("sluice") || n.startsWith("sluice|") || n.startsWith("sluice."));
    assertEquals(Set.of("client|no-touch", "client|setinfo", "waitaof"), unrecorded);
  }

  /**
   * What Sluice leaves out of redis-server 7's command table on purpose (issue 16): DEBUG, MODULE,
   * and the replication, persistence and cluster commands, which belong to later issues.
   */
  private static final Set<String> LEFT_OUT =
      Set.of(
          "debug",
          "module",
          "module|help",
          "module|list",
          "module|load",
          "module|loadex",
          "module|unload",
          "bgrewriteaof",
          "asking",
          "readonly",
          "readwrite",
          "restore-asking",
          "cluster");

  @Test
  void commandList_holdsEveryRedisCommand_butTheLeftOut() {
    Set<String> missing = new TreeSet<>();
    for (Map<String, Object> row : INFO) {
      String name = (String) row.get("name");
      String container = name.contains("|") ? name.substring(0, name.indexOf('|')) : name;
      if (find(TABLE, name) == null && !LEFT_OUT.contains(name) && !LEFT_OUT.contains(container)) {
        missing.add(name);
      }
    }
    assertEquals(Set.of(), missing, "redis-server 7.0.15's commands that Sluice lacks");
  }

  private static List<String> strings(Object list) {
    return ((Collection<?>) list).stream().map(String::valueOf).toList();
  }

  // ---- COMMAND GETKEYS and GETKEYSANDFLAGS ----

  @ParameterizedTest(name = "{0}")
  @MethodSource("sharedInvocations")
  void commandGetKeys_recordedInvocation_answersAsRedis(Row golden) {
    List<String> args = args(golden);
    List<String> getKeys = new ArrayList<>(List.of("COMMAND", "GETKEYS"));
    getKeys.addAll(args);
    assertEquals(
        plain(golden.get("getkeys")),
        plain(resp3.call(getKeys.toArray(String[]::new))),
        "COMMAND GETKEYS " + args);
    getKeys.set(1, "GETKEYSANDFLAGS");
    assertEquals(
        plain(golden.get("getkeysandflags")),
        plain(resp3.call(getKeys.toArray(String[]::new))),
        "COMMAND GETKEYSANDFLAGS " + args);
  }

  @Test
  void goldenGetKeys_everySharedCommandWithKeys_hasAnInvocationThatFindsKeys() {
    Set<String> withKeys = new TreeSet<>();
    sharedInvocations()
        .filter(row -> row.get("getkeys") instanceof List<?> keys && !keys.isEmpty())
        .forEach(
            row -> {
              byte[][] args =
                  args(row).stream()
                      .map(a -> a.getBytes(StandardCharsets.UTF_8))
                      .toArray(byte[][]::new);
              withKeys.add(TABLE.resolve(args).fullName());
            });
    Set<String> missing = new TreeSet<>();
    for (CommandSpec spec : TABLE.byId()) {
      if (spec.hasKeys() && !withKeys.contains(spec.fullName())) {
        missing.add(spec.fullName());
      }
    }
    assertEquals(Set.of(), missing, "commands with keys but no recorded invocation finding them");
    assertFalse(withKeys.isEmpty());
  }

  // ---- what the golden files do not show line by line: reply types, filters, clients ----

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
    Map<CommandTrait, Set<String>> expected = new java.util.EnumMap<>(CommandTrait.class);
    expected.putAll(
        Map.of(
            CommandTrait.NOT_QUEUED,
            Set.of("exec", "discard", "multi", "watch", "quit", "reset"),
            CommandTrait.KEPT_ON_OOM_IN_MULTI,
            Set.of("exec", "discard", "quit", "reset"),
            CommandTrait.ALLOWED_WHILE_SUBSCRIBED,
            Set.of(
                "subscribe",
                "unsubscribe",
                "psubscribe",
                "punsubscribe",
                "ssubscribe",
                "sunsubscribe",
                "ping",
                "quit",
                "reset"),
            CommandTrait.RUNS_QUEUED,
            Set.of("exec"),
            CommandTrait.MAY_REPLICATE,
            Set.of("eval", "evalsha", "fcall", "publish", "spublish", "pfcount"),
            CommandTrait.RUNS_SCRIPT,
            Set.of("eval", "evalsha", "eval_ro", "evalsha_ro", "fcall", "fcall_ro"),
            CommandTrait.KILLS_SCRIPT,
            Set.of("script|kill"),
            CommandTrait.KILLS_FUNCTION,
            Set.of("function|kill"),
            CommandTrait.REPORTS_WHILE_BUSY,
            Set.of("function|stats"),
            CommandTrait.APPEND_BURST,
            Set.of("xadd")));
    // Redis's lookupKey: "cmd->proc == touchCommand"
    expected.put(CommandTrait.TOUCHES_EVEN_NO_TOUCH, Set.of("touch"));
    CommandTable table = servedTable();
    // Redis's resetClient keeps CLIENT CACHING's answer after any CLIENT subcommand
    expected.put(
        CommandTrait.KEEPS_CACHING_ANSWER,
        table.lookup("client").subcommands().values().stream()
            .map(CommandSpec::fullName)
            .collect(java.util.stream.Collectors.toSet()));
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
