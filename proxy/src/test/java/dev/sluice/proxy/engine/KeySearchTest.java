package dev.sluice.proxy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.proxy.testing.GoldenFiles;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The key-spec machinery on every command redis-server 7.0.15 has, not only those Sluice serves
 * yet: each golden command's key specs, read back into {@link KeySpec}s, give Redis's legacy
 * first/last/step and movablekeys flag, and find the keys Redis found for each recorded invocation
 * (keyword searches as in XREAD … STREAMS and GEORADIUS … STORE included). Invocations Redis
 * answered through a command's own key procedure (keys without flags, or specs that are incomplete,
 * unknown or of variable flags) are left to {@link CommandGoldenTest} for the commands Sluice has.
 */
class KeySearchTest {
  private static final List<JsonNode> INFO = GoldenFiles.INFO;
  private static final List<JsonNode> GETKEYS = GoldenFiles.GETKEYS;

  /** A golden command as a spec built from its recorded key specs alone. */
  record Golden(JsonNode row, CommandSpec spec) {
    @Override
    public String toString() {
      return row.get("name").asText();
    }
  }

  private static CommandSpec specOf(JsonNode row) {
    List<KeySpec> specs = new ArrayList<>();
    for (JsonNode k : row.get("key_specs")) {
      List<String> flags = new ArrayList<>();
      k.get("flags").forEach(f -> flags.add(f.asText()));
      JsonNode begin = k.get("begin_search");
      JsonNode find = k.get("find_keys");
      KeySpec.BeginSearch b =
          switch (begin.get("type").asText()) {
            case "index" -> new KeySpec.Index(begin.get("spec").get("index").asInt());
            case "keyword" ->
                new KeySpec.Keyword(
                    begin.get("spec").get("keyword").asText(),
                    begin.get("spec").get("startfrom").asInt());
            default -> new KeySpec.UnknownBegin();
          };
      JsonNode fs = find.get("spec");
      KeySpec.FindKeys f =
          switch (find.get("type").asText()) {
            case "range" ->
                new KeySpec.Range(
                    fs.get("lastkey").asInt(), fs.get("keystep").asInt(), fs.get("limit").asInt());
            case "keynum" ->
                new KeySpec.KeyNum(
                    fs.get("keynumidx").asInt(),
                    fs.get("firstkey").asInt(),
                    fs.get("keystep").asInt());
            default -> new KeySpec.UnknownFind();
          };
      String notes = k.has("notes") ? k.get("notes").asText() : null;
      specs.add(new KeySpec(notes, KeyFlag.parse(String.join(" ", flags)), b, f));
    }
    String name = row.get("name").asText();
    return CommandSpec.command(name.replace('|', '_'), row.get("arity").asInt(), c -> {})
        .keys(specs.toArray(KeySpec[]::new))
        .build();
  }

  static Stream<Golden> commands() {
    return INFO.stream().map(row -> new Golden(row, specOf(row)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("commands")
  void legacyRange_everyRedisCommand_derivedFromItsKeySpecsAsRedisDoes(Golden golden) {
    JsonNode row = golden.row();
    CommandSpec spec = golden.spec();
    assertEquals(
        List.of(row.get("first_key").asInt(), row.get("last_key").asInt(), row.get("step").asInt()),
        List.of(spec.firstKey(), spec.lastKey(), spec.keyStep()),
        "first/last/step");
    boolean movable = false;
    for (JsonNode flag : row.get("flags")) {
      movable |= flag.asText().equals("movablekeys");
    }
    assertEquals(movable, spec.flags().contains(CommandFlag.MOVABLEKEYS), "movablekeys");
  }

  /** The recorded invocations whose keys Redis found by the command's key specs alone. */
  static Stream<Arguments> bySpecsAlone() {
    Map<String, CommandSpec> specs = new HashMap<>();
    commands().forEach(g -> specs.put(g.row().get("name").asText(), g.spec()));
    List<Arguments> cases = new ArrayList<>();
    for (JsonNode row : GETKEYS) {
      JsonNode found = row.get("getkeysandflags");
      if (!found.isArray() || found.isEmpty()) {
        continue;
      }
      List<String> args = new ArrayList<>();
      row.get("args").forEach(a -> args.add(a.asText()));
      CommandSpec spec = specs.get(args.get(0).toLowerCase());
      if (spec != null && spec.keySpecs().isEmpty() && args.size() > 1) {
        spec = specs.get(args.get(0).toLowerCase() + "|" + args.get(1).toLowerCase());
      }
      boolean complete =
          spec != null
              && spec.keySpecs().stream()
                  .allMatch(
                      k ->
                          !(k.begin() instanceof KeySpec.UnknownBegin)
                              && !k.has(KeyFlag.INCOMPLETE)
                              && !k.has(KeyFlag.VARIABLE_FLAGS));
      boolean flagged = true;
      for (JsonNode key : found) {
        flagged &= !key.get(1).isEmpty();
      }
      if (complete && flagged) {
        cases.add(Arguments.of(String.join(" ", args), spec, args, found));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bySpecsAlone")
  void keys_recordedInvocation_foundByKeySpecsAsRedisFoundThem(
      String invocation, CommandSpec spec, List<String> args, JsonNode expected) {
    byte[][] argv =
        args.stream().map(a -> a.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
    FoundKeys keys = spec.keys(argv);
    List<List<Object>> found = new ArrayList<>();
    for (int i = 0; i < keys.count(); i++) {
      found.add(List.of(args.get(keys.position(i)), KeyFlag.names(keys.flags(i))));
    }
    List<List<Object>> redis = new ArrayList<>();
    for (JsonNode key : expected) {
      List<String> flags = new ArrayList<>();
      key.get(1).forEach(f -> flags.add(f.asText()));
      redis.add(List.of(key.get(0).asText(), flags));
    }
    assertEquals(redis, found, invocation);
  }

  @Test
  void bySpecsAlone_coversKeywordSearches() {
    Set<String> names =
        Set.copyOf(bySpecsAlone().map(c -> ((List<?>) c.get()[2]).get(0).toString()).toList());
    assertTrue(
        names.containsAll(Set.of("xread", "xreadgroup", "georadius", "zunionstore", "eval")),
        "covered: " + names);
  }

  @Test
  void keyword_searchedBackwardsFromTheEnd_findsTheLastOccurrenceOnly() {
    // as MIGRATE's KEYS spec: keyword KEYS from the second-to-last argument backwards
    CommandSpec spec =
        CommandSpec.command("m", -2, c -> {})
            .keys(KeySpec.keyword("KEYS", -2, -1, 1, 0, "RW access delete"))
            .build();
    byte[][] args = {bytes("m"), bytes("keys"), bytes("a"), bytes("KEYS"), bytes("b"), bytes("c")};
    FoundKeys keys = spec.keys(args);
    assertEquals(List.of(4, 5), List.of(keys.position(0), keys.position(1)));
    assertEquals(2, keys.count());
  }

  @Test
  void range_withLimit_takesItsShareOfTheRest() {
    // lastkey -1 with limit 2: half of what follows the begin (XREAD-like keys then IDs)
    CommandSpec spec =
        CommandSpec.command("r", -2, c -> {})
            .keys(KeySpec.keyword("STREAMS", 1, -1, 1, 2, "RO access"))
            .build();
    byte[][] args = {
      bytes("r"), bytes("STREAMS"), bytes("k1"), bytes("k2"), bytes("0"), bytes("0")
    };
    FoundKeys keys = spec.keys(args);
    assertEquals(2, keys.count());
    assertEquals(List.of(2, 3), List.of(keys.position(0), keys.position(1)));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
