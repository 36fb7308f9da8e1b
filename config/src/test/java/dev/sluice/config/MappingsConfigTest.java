package dev.sluice.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.config.MappingConfig.Invalidate;
import dev.sluice.config.MappingConfig.Kind;
import dev.sluice.config.MappingConfig.OnDelete;
import dev.sluice.config.MappingConfig.Read;
import dev.sluice.config.MappingConfig.Shape;
import dev.sluice.config.MappingConfig.Write;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code mappings:} list: parsing, defaults and every refusal. */
class MappingsConfigTest {
  @TempDir Path dir;

  private Path file;

  private SluiceConfig load(String yaml) throws IOException {
    return load(yaml, Map.of());
  }

  private SluiceConfig load(String yaml, Map<String, String> env) throws IOException {
    file = dir.resolve("sluice.yaml");
    Files.writeString(file, yaml);
    return new ConfigLoader(env).load(file, Map.of());
  }

  private String refusal(String yaml) throws IOException {
    file = dir.resolve("sluice.yaml");
    Files.writeString(file, yaml);
    Path f = file;
    return assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of()).load(f, Map.of()))
        .getMessage();
  }

  private static void assertContains(String message, String... parts) {
    for (String part : parts) {
      assertTrue(message.contains(part), () -> "expected '" + part + "' in: " + message);
    }
  }

  private static final String USERS =
      """
      mappings:
        - name: users
          keys: "user:{id}"
          table: public.users
          key-columns: [id]
      """;

  @Test
  void load_rowMapping_appliesDefaults() throws IOException {
    MappingConfig users = load(USERS).mappings().get(0);

    assertEquals("users", users.name());
    assertEquals("mappings[0]", users.path());
    assertEquals(Kind.ROW, users.kind());
    assertEquals("user:{id}", users.keys().text());
    assertEquals("public.users", users.table());
    assertEquals(List.of("id"), users.keyColumns());
    assertEquals(Shape.HASH, users.shape());
    assertEquals(Read.THROUGH, users.read());
    assertEquals(Write.NONE, users.write());
    assertEquals(Duration.ofMinutes(10), users.ttl());
    assertEquals(Duration.ofSeconds(30), users.negativeTtl());
    assertEquals(Invalidate.NONE, users.invalidate());
    assertEquals(OnDelete.EVICT, users.onDelete());
    assertNull(users.query());
    assertEquals("mapping 'users' (mappings[0])", users.describe());
  }

  @Test
  void load_everyKind_isParsedWithItsOptions() throws IOException {
    SluiceConfig config =
        load(
            """
            mappings:
              - name: users
                keys: "user:{id}"
                table: public.users
                key-columns: [id]
                shape: json
                read: through
                write: back
                ttl: 1h
                negative-ttl: 0
                invalidate: notify
                on-delete: delete
              - name: top
                keys: "top:{category}"
                query: SELECT name, sold FROM products WHERE category = :category
                shape: zset
                member-column: name
                score-column: sold
                depends-on: [products]
                ttl: 1m
              - name: page_views
                keys: "ingest:page_views"
                table: page_views
                write: append
              - name: sessions
                keys: "session:*"
                store: kv
                negative-ttl: 5s
            """);

    List<MappingConfig> mappings = config.mappings();
    assertEquals(4, mappings.size());
    MappingConfig users = mappings.get(0);
    assertEquals(Shape.JSON, users.shape());
    assertEquals(Write.BACK, users.write());
    assertEquals(Duration.ofHours(1), users.ttl());
    assertEquals(Duration.ZERO, users.negativeTtl());
    assertEquals(Invalidate.NOTIFY, users.invalidate());
    assertEquals(OnDelete.DELETE, users.onDelete());

    MappingConfig top = mappings.get(1);
    assertEquals(Kind.QUERY, top.kind());
    assertEquals("SELECT name, sold FROM products WHERE category = ?", top.query().jdbcSql());
    assertEquals(List.of("category"), top.query().parameters());
    assertEquals(Shape.ZSET, top.shape());
    assertEquals("name", top.memberColumn());
    assertEquals("sold", top.scoreColumn());
    assertEquals(List.of("products"), top.dependsOn());
    assertEquals(Invalidate.NOTIFY, top.invalidate(), "depends-on implies notify");
    assertEquals(Duration.ofMinutes(1), top.ttl());
    assertEquals(Write.NONE, top.write());

    MappingConfig views = mappings.get(2);
    assertEquals(Kind.APPEND, views.kind());
    assertEquals("page_views", views.table());
    assertEquals(Write.APPEND, views.write());
    assertEquals(Read.NONE, views.read());
    assertNull(views.shape());

    MappingConfig sessions = mappings.get(3);
    assertEquals(Kind.KV, sessions.kind());
    assertEquals(Write.BACK, sessions.write());
    assertEquals(OnDelete.DELETE, sessions.onDelete());
    assertEquals(Duration.ofSeconds(5), sessions.negativeTtl());
    assertTrue(sessions.keys().hasWildcard());

    assertEquals(top, config.mapping("top").orElseThrow());
    assertTrue(config.usesPostgres());
  }

  @Test
  void load_noMappings_doesNotUsePostgres() throws IOException {
    assertEquals(List.of(), load("port: 7000\n").mappings());
    assertEquals(List.of(), load("mappings: []\n").mappings());
    assertEquals(List.of(), load("mappings:\n").mappings());
    assertTrue(!load("port: 7000\n").usesPostgres());
  }

  @Test
  void load_keyColumnsAsText_isSplitOnCommas() throws IOException {
    MappingConfig orders =
        load("""
                mappings:
                  - name: orders
                    keys: "order:{tenant}:{id}"
                    table: orders
                    key-columns: tenant, id
                """)
            .mappings()
            .get(0);

    assertEquals(List.of("tenant", "id"), orders.keyColumns());
  }

  @Test
  void load_environmentReferenceInMapping_isSubstituted() throws IOException {
    MappingConfig users =
        load(
                """
                mappings:
                  - name: users
                    keys: "user:{id}"
                    table: ${USERS_TABLE:-public.users}
                    key-columns: [id]
                    ttl: ${USERS_TTL}
                """,
                Map.of("USERS_TTL", "90s"))
            .mappings()
            .get(0);

    assertEquals("public.users", users.table());
    assertEquals(Duration.ofSeconds(90), users.ttl());
  }

  @Test
  void load_settingsFromEnvironment_stillApplyBesideMappings() throws IOException {
    SluiceConfig config = load(USERS + "port: 7000\n", Map.of("SLUICE_POSTGRES_POOL_SIZE", "3"));

    assertEquals(1, config.mappings().size());
    assertEquals(7000, config.port());
    assertEquals(3, config.get(PostgresSettings.POSTGRES_POOL_SIZE));
    assertEquals(
        "environment variable SLUICE_POSTGRES_POOL_SIZE",
        config.sourceOf(PostgresSettings.POSTGRES_POOL_SIZE));
  }

  @Test
  void load_mappingsFlag_isUnknown() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> new ConfigLoader(Map.of()).load(null, Map.of("mappings", "x")));

    assertContains(e.getMessage(), "unknown configuration key 'mappings'", "command line");
  }

  @Test
  void load_mappingsNotAList_isRefused() throws IOException {
    assertContains(
        refusal("mappings:\n  name: users\n"),
        "invalid value for 'mappings' in configuration file",
        "expected a list of mappings");
  }

  @Test
  void load_elementNotAnObject_namesItsIndex() throws IOException {
    assertContains(
        refusal("mappings:\n  - users\n"),
        "invalid value for 'mappings[0]'",
        "got \"users\"",
        "expected a mapping with at least name and keys");
  }

  @Test
  void load_missingName_isRefused() throws IOException {
    assertEquals(
        "missing key 'name' in mappings[0] in configuration file "
            + file()
            + ": every mapping needs a unique name, e.g. name: users",
        refusal("mappings:\n  - keys: \"user:{id}\"\n    table: users\n    key-columns: [id]\n"));
  }

  private Path file() {
    return dir.resolve("sluice.yaml");
  }

  @Test
  void load_badName_isRefused() throws IOException {
    assertContains(
        refusal("mappings:\n  - name: \"my users\"\n    keys: a\n    store: kv\n"),
        "invalid value for 'mappings[0].name'",
        "got 'my users'",
        "expected a name of letters, digits");
  }

  @Test
  void load_unknownKey_namesMappingAndListsKnownKeys() throws IOException {
    String message =
        refusal(
            """
            mappings:
              - name: users
                keys: "user:{id}"
                tabel: users
            """);

    assertEquals(
        "unknown key 'tabel' in mappings[0] (mapping 'users') in configuration file "
            + file()
            + "; known keys: name, keys, table, key-columns, shape, read, write, ttl,"
            + " negative-ttl, invalidate, on-delete, query, member-column, score-column,"
            + " depends-on, store",
        message);
  }

  @Test
  void load_keyOfAnotherKind_isNotAllowed() throws IOException {
    assertContains(
        refusal(USERS + "    member-column: name\n"),
        "key 'member-column' is not allowed in mappings[0] (mapping 'users')",
        "a row mapping takes name, keys, table, key-columns");
  }

  @Test
  void load_missingKeys_isRefused() throws IOException {
    assertContains(
        refusal("mappings:\n  - name: s\n    store: kv\n"),
        "missing key 'keys' in mappings[0] (mapping 's')",
        "keys: \"user:{id}\"");
  }

  @Test
  void load_malformedKeys_namesPathAndProblem() throws IOException {
    assertContains(
        refusal("mappings:\n  - name: s\n    keys: \"user:{id\"\n    store: kv\n"),
        "invalid value for 'mappings[0].keys' (mapping 's')",
        "got 'user:{id'",
        "'{' at position 5 is not closed");
  }

  @Test
  void load_keysAsList_expectsSingleValue() throws IOException {
    assertContains(
        refusal("mappings:\n  - name: s\n    keys: [a, b]\n    store: kv\n"),
        "invalid value for 'mappings[0].keys' (mapping 's')",
        "expected a single value");
  }

  @Test
  void load_noTableQueryOrStore_cannotTellKind() throws IOException {
    assertContains(
        refusal("mappings:\n  - name: x\n    keys: \"x:{id}\"\n"),
        "missing key 'table' in mappings[0] (mapping 'x')",
        "give table (a row mapping), query (a query mapping), store: kv");
  }

  @Test
  void load_storeOtherThanKv_isRefused() throws IOException {
    assertContains(
        refusal("mappings:\n  - name: s\n    keys: \"s:*\"\n    store: redis\n"),
        "invalid value for 'mappings[0].store' (mapping 's')",
        "got 'redis', expected kv");
  }

  @Test
  void load_storeWithTable_conflicts() throws IOException {
    assertContains(
        refusal("mappings:\n  - name: s\n    keys: \"s:*\"\n    store: kv\n    table: t\n"),
        "conflicting options in mappings[0] (mapping 's')",
        "store: kv keeps keys in sluice.kv and takes no table");
  }

  @Test
  void load_tableAndQuery_conflict() throws IOException {
    assertContains(
        refusal(
            """
            mappings:
              - name: x
                keys: "x:{id}"
                table: t
                query: SELECT * FROM t WHERE id = :id
            """),
        "conflicting options in mappings[0] (mapping 'x')",
        "either a table (a row mapping) or a query");
  }

  @Test
  void load_appendWithQuery_conflicts() throws IOException {
    assertContains(
        refusal("mappings:\n  - name: x\n    keys: x\n    write: append\n    query: SELECT 1\n"),
        "conflicting options",
        "write: append inserts rows into a table and takes no query");
  }

  @Test
  void load_rowWithoutKeyColumns_isRefused() throws IOException {
    assertContains(
        refusal("mappings:\n  - name: users\n    keys: \"user:{id}\"\n    table: users\n"),
        "missing key 'key-columns' in mappings[0] (mapping 'users')",
        "e.g. key-columns: [id]");
  }

  @Test
  void load_placeholderThatIsNotAKeyColumn_namesIt() throws IOException {
    String message =
        refusal(
            """
            mappings:
              - name: users
                keys: "user:{id}:{uid}"
                table: users
                key-columns: [id]
            """);

    assertEquals(
        "invalid value for 'mappings[0].keys' (mapping 'users') in configuration file "
            + file()
            + ": got 'user:{id}:{uid}', expected only placeholders named after key columns (id):"
            + " {uid} is not one",
        message);
  }

  @Test
  void load_keyColumnWithoutPlaceholder_namesIt() throws IOException {
    assertContains(
        refusal(
            """
            mappings:
              - name: orders
                keys: "order:{id}"
                table: orders
                key-columns: [tenant, id]
            """),
        "invalid value for 'mappings[0].keys' (mapping 'orders')",
        "key column tenant has no {tenant}");
  }

  @Test
  void load_repeatedKeyColumn_isRefused() throws IOException {
    assertContains(
        refusal(
            "mappings:\n  - name: u\n    keys: \"u:{id}\"\n    table: u\n"
                + "    key-columns: [id, id]\n"),
        "invalid value for 'mappings[0].key-columns' (mapping 'u')",
        "names without repeats");
  }

  @Test
  void load_rowWithWildcard_isRefused() throws IOException {
    assertContains(
        refusal(
            "mappings:\n  - name: u\n    keys: \"u:{id}:*\"\n    table: u\n"
                + "    key-columns: [id]\n"),
        "'mappings[0].keys'",
        "without '*'");
  }

  @Test
  void load_rowWithQueryShape_listsRowShapes() throws IOException {
    assertContains(
        refusal(USERS + "    shape: zset\n"),
        "invalid value for 'mappings[0].shape' (mapping 'users')",
        "got 'zset', expected hash or json for a row mapping");
  }

  @Test
  void load_readNoneWriteNone_conflicts() throws IOException {
    assertContains(
        refusal(USERS + "    read: none\n"),
        "conflicting options in mappings[0] (mapping 'users')",
        "read: none with write: none");
  }

  @Test
  void load_onDeleteDeleteWithoutWriteBack_conflicts() throws IOException {
    assertContains(
        refusal(USERS + "    on-delete: delete\n"),
        "conflicting options",
        "on-delete: delete deletes rows through write-back and needs write: back");
  }

  @Test
  void load_badTtl_saysWhatADurationIs() throws IOException {
    assertContains(
        refusal(USERS + "    ttl: 10 minutes\n"),
        "invalid value for 'mappings[0].ttl' (mapping 'users')",
        "got '10 minutes'",
        "a whole number with a unit: ms, s, m, h or d");
  }

  @Test
  void load_badTableName_isRefused() throws IOException {
    assertContains(
        refusal(
            "mappings:\n  - name: u\n    keys: \"u:{id}\"\n    table: \"a.b.c\"\n"
                + "    key-columns: [id]\n"),
        "invalid value for 'mappings[0].table' (mapping 'u')",
        "got 'a.b.c'",
        "a table name such as users or public.users");
  }

  @Test
  void load_quotedTableName_isAccepted() throws IOException {
    MappingConfig mapping =
        load("""
                mappings:
                  - name: u
                    keys: "u:{id}"
                    table: 'public."My Users"'
                    key-columns: [id]
                """)
            .mappings()
            .get(0);

    assertEquals("public.\"My Users\"", mapping.table());
  }

  @Test
  void load_queryParameterNotInKeys_namesIt() throws IOException {
    assertContains(
        refusal(
            """
            mappings:
              - name: top
                keys: "top:{category}"
                query: SELECT name FROM products WHERE category = :cat
            """),
        "invalid value for 'mappings[0].query' (mapping 'top')",
        "expected only parameters that are placeholders of keys 'top:{category}': :cat is not one");
  }

  @Test
  void load_placeholderUnusedByQuery_isRefused() throws IOException {
    assertContains(
        refusal(
            """
            mappings:
              - name: top
                keys: "top:{category}:{n}"
                query: SELECT name FROM products WHERE category = :category
            """),
        "'mappings[0].query'",
        "a parameter for every placeholder",
        ":n is missing");
  }

  @Test
  void load_queryThatWrites_isRefused() throws IOException {
    assertContains(
        refusal(
            """
            mappings:
              - name: q
                keys: "q:{id}"
                query: DELETE FROM t WHERE id = :id
            """),
        "invalid value for 'mappings[0].query' (mapping 'q')",
        "must start with SELECT, WITH, VALUES or TABLE");
  }

  @Test
  void load_zsetWithoutScoreColumn_isRefused() throws IOException {
    assertContains(
        refusal(
            """
            mappings:
              - name: top
                keys: "top:{c}"
                query: SELECT name, sold FROM p WHERE c = :c
                shape: zset
                member-column: name
            """),
        "missing key 'score-column' in mappings[0] (mapping 'top')",
        "shape: zset needs the column that gives the scores");
  }

  @Test
  void load_zsetWithoutMemberColumn_isRefused() throws IOException {
    assertContains(
        refusal(
            """
            mappings:
              - name: top
                keys: "top:{c}"
                query: SELECT name, sold FROM p WHERE c = :c
                shape: zset
            """),
        "missing key 'member-column'");
  }

  @Test
  void load_memberColumnWithJsonShape_conflicts() throws IOException {
    assertContains(
        refusal(
            """
            mappings:
              - name: top
                keys: "top:{c}"
                query: SELECT name FROM p WHERE c = :c
                member-column: name
            """),
        "conflicting options in mappings[0] (mapping 'top')",
        "member-column needs shape: zset, list or set (the shape is json)");
  }

  @Test
  void load_scoreColumnWithListShape_conflicts() throws IOException {
    assertContains(
        refusal(
            """
            mappings:
              - name: top
                keys: "top:{c}"
                query: SELECT name, sold FROM p WHERE c = :c
                shape: list
                score-column: sold
            """),
        "score-column needs shape: zset (the shape is list)");
  }

  @Test
  void load_queryNotifyWithoutDependsOn_isRefused() throws IOException {
    assertContains(
        refusal(
            """
            mappings:
              - name: top
                keys: "top:{c}"
                query: SELECT name FROM p WHERE c = :c
                invalidate: notify
            """),
        "missing key 'depends-on' in mappings[0] (mapping 'top')",
        "needs the tables the query reads");
  }

  @Test
  void load_dependsOnWithInvalidateNone_conflicts() throws IOException {
    assertContains(
        refusal(
            """
            mappings:
              - name: top
                keys: "top:{c}"
                query: SELECT name FROM p WHERE c = :c
                depends-on: [p]
                invalidate: none
            """),
        "conflicting options",
        "depends-on names tables to watch for changes, but invalidate is none");
  }

  @Test
  void load_appendWithPlaceholder_isRefused() throws IOException {
    assertContains(
        refusal(
            "mappings:\n  - name: v\n    keys: \"ingest:{x}\"\n    table: v\n    write: append\n"),
        "invalid value for 'mappings[0].keys' (mapping 'v')",
        "one fixed key without placeholders");
  }

  @Test
  void load_kvWithTtl_isNotAllowed() throws IOException {
    assertContains(
        refusal("mappings:\n  - name: s\n    keys: \"s:*\"\n    store: kv\n    ttl: 1m\n"),
        "key 'ttl' is not allowed in mappings[0] (mapping 's')",
        "a kv mapping takes name, keys, store, negative-ttl");
  }

  @Test
  void load_duplicateName_namesBothEntries() throws IOException {
    assertEquals(
        "duplicate mapping name 'users' in mappings[1] in configuration file "
            + file()
            + ": mappings[0] has it already",
        refusal(USERS + "  - name: users\n    keys: \"u:*\"\n    store: kv\n"));
  }

  @Test
  void load_sameKeysTwice_namesTheOtherMapping() throws IOException {
    assertContains(
        refusal(
            USERS
                + "  - name: other\n    keys: \"user:{uid}\"\n    table: t\n"
                + "    key-columns: [uid]\n"),
        "invalid value for 'mappings[1].keys' (mapping 'other')",
        "got 'user:{uid}', expected keys no other mapping covers: mapping 'users' (mappings[0])"
            + " has 'user:{id}'");
  }

  @Test
  void mappings_areImmutable() throws IOException {
    SluiceConfig config = load(USERS);

    assertThrows(UnsupportedOperationException.class, () -> config.mappings().clear());
    assertThrows(
        UnsupportedOperationException.class, () -> config.mappings().get(0).keyColumns().clear());
    assertEquals(config.mappings(), config.toBuilder().build().mappings());
  }

  @Test
  void demoConfiguration_loadsWithEveryKind() {
    SluiceConfig demo = DemoConfiguration.load(Map.of(), Map.of("port", "7001"));

    assertEquals(7001, demo.port());
    assertEquals("embedded", demo.get(PostgresSettings.POSTGRES_URL));
    assertEquals(
        List.of(Kind.ROW, Kind.ROW, Kind.QUERY, Kind.APPEND, Kind.KV),
        demo.mappings().stream().map(MappingConfig::kind).toList());
    assertEquals(Invalidate.NOTIFY, demo.mapping("users").orElseThrow().invalidate());
    assertEquals(Shape.ZSET, demo.mapping("top_products").orElseThrow().shape());
    assertTrue(DemoConfiguration.schemaSql().contains("CREATE TABLE public.users"));
    assertEquals(
        DemoConfiguration.SOURCE,
        demo.sourceOf(PostgresSettings.POSTGRES_URL),
        "source names the demo");
  }
}
