package dev.sluice.proxy.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.proxy.command.RespSocket.Err;
import dev.sluice.proxy.command.RespSocket.Simple;
import dev.sluice.proxy.testing.TestServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
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

/**
 * Sluice's command table against what redis-server 7.0.15 answered, as recorded in {@code
 * golden/command-info.jsonl} and {@code golden/command-getkeys.jsonl} by {@code
 * tools/golden/command-keyspecs.sh}: for every command and subcommand both have, COMMAND INFO's
 * arity, flags, first/last/step, ACL categories, tips, key specs and subcommands and COMMAND DOCS'
 * group; and for every recorded invocation of a command Sluice has, the replies of COMMAND GETKEYS
 * and COMMAND GETKEYSANDFLAGS, errors included. Sluice answers over a real socket, in RESP3 (key
 * specs are maps, flags sets, as Redis 7.0 sends them).
 */
class CommandGoldenTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Where Sluice follows a later Redis on purpose: ZRANK and ZREVRANK take 7.2's WITHSCORE (arity
   * -3 where 7.0 has 3), and CLIENT SETINFO (7.2) is a subcommand 7.0 does not have.
   */
  private static final Map<String, Set<String>> LATER_REDIS =
      Map.of("zrank", Set.of("arity"), "zrevrank", Set.of("arity"), "client", Set.of("setinfo"));

  private static final List<Map<String, Object>> INFO = read("/golden/command-info.jsonl");
  private static final List<Map<String, Object>> GETKEYS = read("/golden/command-getkeys.jsonl");

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

  private static List<Map<String, Object>> read(String resource) {
    try (InputStream in = CommandGoldenTest.class.getResourceAsStream(resource)) {
      assertNotNull(in, resource + " on the test class path");
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      List<Map<String, Object>> lines = new ArrayList<>();
      String line;
      while ((line = reader.readLine()) != null) {
        @SuppressWarnings("unchecked")
        Map<String, Object> value = JSON.readValue(line, Map.class);
        lines.add(value);
      }
      assertEquals(
          "redis-server 7.0.15", lines.get(0).get("source"), resource + " records redis 7.0.15");
      return lines.subList(1, lines.size());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
  private static final CommandTable TABLE = Commands.table();

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
    unrecorded.removeIf(n -> n.equals("sluice") || n.startsWith("sluice|"));
    assertEquals(Set.of("client|setinfo"), unrecorded);
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
}
