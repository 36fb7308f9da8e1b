package dev.sluice.proxy.lookaside;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.proxy.testing.ListenBackends;
import dev.sluice.proxy.testing.MappedTestServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.util.SafeEncoder;

/**
 * The look-aside read path end to end: a real Sluice server with mappings in front of one embedded
 * PostgreSQL, Jedis over real sockets.
 */
class PostgresReadThroughTest {
  @TempDir static Path dir;
  private static MappedTestServer server;
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String SCHEMA =
      """
      CREATE TABLE public.users (id bigint PRIMARY KEY, name text NOT NULL, email text,
        country text);
      INSERT INTO public.users VALUES (1, 'Ada', 'ada@example.com', 'GB'),
        (2, 'Grace', 'grace@example.com', 'US'), (3, 'Edsger', 'edsger@example.com', 'NL'),
        (4, 'Barbara', NULL, NULL), (5, 'Alan', 'alan@example.com', 'GB');
      CREATE TABLE public.products (id int PRIMARY KEY, name text, category text,
        price numeric(10, 2), sold int, active boolean, ratio double precision, meta jsonb,
        note text);
      INSERT INTO public.products VALUES
        (1, 'Espresso machine', 'kitchen', 249.00, 120, true, 0.5, '{"tags": ["a"]}', NULL),
        (2, 'Burr grinder', 'kitchen', 89.50, 310, false, 1.25, NULL, 'quiet'),
        (3, 'Desk lamp', 'office', 39.90, 410, true, 2, NULL, NULL);
      CREATE TABLE public.read_count (n int NOT NULL);
      INSERT INTO public.read_count VALUES (0);
      CREATE FUNCTION public.count_read() RETURNS int LANGUAGE plpgsql VOLATILE AS $$
      BEGIN
        PERFORM pg_sleep(0.3);
        UPDATE public.read_count SET n = n + 1;
        RETURN 1;
      END $$;
      CREATE VIEW public.counted AS SELECT id, name, public.count_read() AS probe FROM public.users;
      CREATE TABLE public.notes (key text PRIMARY KEY, body text NOT NULL);
      INSERT INTO public.notes VALUES ('it''s', 'quote'), ('a;b; DROP TABLE notes; --', 'semi'),
        ('$1', 'dollar'), ('ünï€😀', 'unicode'), ('"double"', 'dq'), ('back\\slash', 'bs');
      """;

  private static final String MAPPINGS =
      """
      postgres:
        connect-timeout: 2s
        query-timeout: 5s
      mappings:
        - name: users
          keys: "user:{id}"
          table: public.users
          key-columns: [id]
          shape: hash
          ttl: 10m
          negative-ttl: 30s
          invalidate: notify
        - name: products
          keys: "product:{id}"
          table: public.products
          key-columns: [id]
          shape: json
        - name: counted
          keys: "counted:{id}"
          table: public.counted
          key-columns: [id]
        - name: notes
          keys: "note:{key}"
          table: public.notes
          key-columns: [key]
        - name: top_json
          keys: "topjson:{category}"
          query: SELECT name, sold FROM public.products WHERE category = :category ORDER BY sold DESC
          depends-on: [public.products]
        - name: names_list
          keys: "names:{category}"
          query: SELECT name FROM public.products WHERE category = :category ORDER BY name
          shape: list
        - name: names_set
          keys: "nameset:{category}"
          query: SELECT name FROM public.products WHERE category = :category
          shape: set
        - name: leaderboard
          keys: "board:{category}"
          query: SELECT name, sold FROM public.products WHERE category = :category
          shape: zset
          member-column: name
          score-column: sold
      """;

  @BeforeAll
  static void start() {
    server =
        MappedTestServer.start(
            MAPPINGS, SCHEMA, Map.of("postgres.data-dir", dir.resolve("pg").toString()));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
      server.connector().close();
    }
  }

  @BeforeEach
  void flush() {
    try (Jedis jedis = server.jedis()) {
      jedis.flushAll();
    }
  }

  // ---- helpers ----

  private static Object sluice(Jedis jedis, String... args) {
    return jedis.sendCommand(() -> SafeEncoder.encode("SLUICE"), args);
  }

  /** A figure of SLUICE STATUS for one mapping (RESP2: flat arrays). */
  private static Object status(Jedis jedis, String mapping, String field) {
    List<?> all = (List<?>) sluice(jedis, "STATUS");
    for (int i = 0; i < all.size(); i += 2) {
      if (SafeEncoder.encode((byte[]) all.get(i)).equals(mapping)) {
        List<?> fields = (List<?>) all.get(i + 1);
        for (int j = 0; j < fields.size(); j += 2) {
          if (SafeEncoder.encode((byte[]) fields.get(j)).equals(field)) {
            Object value = fields.get(j + 1);
            return value instanceof byte[] b ? SafeEncoder.encode(b) : value;
          }
        }
      }
    }
    throw new AssertionError("no " + field + " for " + mapping + " in SLUICE STATUS");
  }

  private static void execute(String sql) throws SQLException {
    try (Connection c = server.jdbc();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static long readCount() throws SQLException {
    try (Connection c = server.jdbc();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT n FROM public.read_count")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.onSpinWait();
    }
  }

  // ---- row mappings ----

  @Test
  void hgetall_mappedRow_columnsAsFieldsAndNullsAbsent() {
    try (Jedis jedis = server.jedis()) {
      assertEquals(
          Map.of("id", "1", "name", "Ada", "email", "ada@example.com", "country", "GB"),
          jedis.hgetAll("user:1"));
      assertEquals(Map.of("id", "4", "name", "Barbara"), jedis.hgetAll("user:4"));
      assertEquals("Barbara", jedis.hget("user:4", "name"));
      assertEquals("hash", jedis.type("user:4"));
      long ttl = jedis.ttl("user:1");
      assertTrue(ttl > 590 && ttl <= 600, "ttl of the mapping, got " + ttl);
    }
  }

  @Test
  void get_jsonRow_jsonTypes() throws Exception {
    try (Jedis jedis = server.jedis()) {
      JsonNode row = JSON.readTree(jedis.get("product:1"));
      assertEquals(1, row.get("id").asInt());
      assertTrue(row.get("id").isNumber());
      assertEquals("Espresso machine", row.get("name").asText());
      assertTrue(row.get("price").isNumber());
      assertEquals(
          0, row.get("price").decimalValue().compareTo(new java.math.BigDecimal("249.00")));
      assertTrue(row.get("active").isBoolean());
      assertTrue(row.get("active").asBoolean());
      assertEquals(0.5, row.get("ratio").asDouble());
      assertEquals("a", row.get("meta").get("tags").get(0).asText(), "jsonb stays JSON");
      assertTrue(row.get("note").isNull(), "NULL is null");
      assertFalse(JSON.readTree(jedis.get("product:2")).get("active").asBoolean());
    }
  }

  @Test
  void mget_mappedAndPlainKeys_mixedHitsAndMisses() throws Exception {
    try (Jedis jedis = server.jedis()) {
      jedis.set("plain", "p");
      assertEquals("Espresso machine", JSON.readTree(jedis.get("product:1")).get("name").asText());
      List<String> values = jedis.mget("product:1", "product:2", "product:404", "plain");
      assertEquals("Espresso machine", JSON.readTree(values.get(0)).get("name").asText());
      assertEquals("Burr grinder", JSON.readTree(values.get(1)).get("name").asText());
      assertNull(values.get(2));
      assertEquals("p", values.get(3));
    }
  }

  @Test
  void hget_keyThatDoesNotFitTheColumn_errorNamesMappingAndColumn() {
    try (Jedis jedis = server.jedis()) {
      JedisDataException error =
          assertThrows(JedisDataException.class, () -> jedis.hgetAll("user:abc"));
      assertTrue(error.getMessage().startsWith("ERR mapping 'users'"), error.getMessage());
      assertTrue(error.getMessage().contains("user:abc"), error.getMessage());
      assertTrue(error.getMessage().contains("column id (bigint)"), error.getMessage());
      assertEquals("PONG", jedis.ping(), "the connection goes on");
    }
  }

  // ---- query mappings ----

  @Test
  void get_queryMappingJson_arrayOfRowsInOrder() throws Exception {
    try (Jedis jedis = server.jedis()) {
      JsonNode rows = JSON.readTree(jedis.get("topjson:kitchen"));
      assertEquals(2, rows.size());
      assertEquals("Burr grinder", rows.get(0).get("name").asText());
      assertEquals(310, rows.get(0).get("sold").asInt());
      assertTrue(rows.get(0).get("sold").isNumber());
      assertNull(jedis.get("topjson:garden"), "an empty result is absent");
    }
  }

  @Test
  void lrangeAndSmembers_queryMappingsAsListAndSet() {
    try (Jedis jedis = server.jedis()) {
      assertEquals(
          List.of("Burr grinder", "Espresso machine"), jedis.lrange("names:kitchen", 0, -1));
      assertEquals(Set.of("Desk lamp"), jedis.smembers("nameset:office"));
    }
  }

  @Test
  void zrevrange_queryMappingAsZset_isALeaderboardStraightFromSql() {
    try (Jedis jedis = server.jedis()) {
      List<redis.clients.jedis.resps.Tuple> top = jedis.zrevrangeWithScores("board:kitchen", 0, -1);
      assertEquals(
          List.of(
              new redis.clients.jedis.resps.Tuple("Burr grinder", 310.0),
              new redis.clients.jedis.resps.Tuple("Espresso machine", top.get(1).getScore())),
          top);
      assertTrue(top.get(1).getScore() < 310.0, "ordered by score, descending");
      assertEquals("zset", jedis.type("board:kitchen"));
      assertEquals(0L, jedis.zrevrank("board:kitchen", "Burr grinder"));
    }
  }

  @Test
  void update_dependsOnTable_dropsTheQueryResult() throws Exception {
    try (Jedis jedis = server.jedis()) {
      assertEquals(2, JSON.readTree(jedis.get("topjson:kitchen")).size());
      execute(
          "INSERT INTO public.products VALUES (9, 'Kettle', 'kitchen', 30, 5, true, 1, NULL, NULL)");
      await(
          "the query result to be dropped",
          () -> {
            try (Jedis probe = server.jedis()) {
              return probe.dbSize() == 0;
            }
          });
      assertEquals(3, JSON.readTree(jedis.get("topjson:kitchen")).size());
      execute("DELETE FROM public.products WHERE id = 9");
    }
  }

  // ---- single flight and negative caching ----

  @Test
  void get_thousandConcurrentMissesOfOneKey_oneQuery() throws Exception {
    long before = readCount();
    int clients = 50;
    int each = 20;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<List<String>>> results = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        results.add(
            pool.submit(
                () -> {
                  try (Jedis jedis = server.jedis()) {
                    jedis.ping();
                    go.await(10, TimeUnit.SECONDS);
                    List<String> names = new ArrayList<>();
                    for (int j = 0; j < each; j++) {
                      names.add(jedis.hget("counted:2", "name"));
                    }
                    return names;
                  }
                }));
      }
      go.countDown();
      Set<String> seen = new HashSet<>();
      int answers = 0;
      for (Future<List<String>> result : results) {
        List<String> names = result.get(30, TimeUnit.SECONDS);
        seen.addAll(names);
        answers += names.size();
      }
      assertEquals(clients * each, answers);
      assertEquals(Set.of("Grace"), seen);
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, readCount() - before, "queries that reached PostgreSQL");
    try (Jedis jedis = server.jedis()) {
      assertEquals(1L, status(jedis, "counted", "loads"));
    }
  }

  @Test
  void get_missingRow_queriedOnceWithinNegativeTtl() {
    try (Jedis jedis = server.jedis()) {
      long loads = (Long) status(jedis, "users", "loads");
      assertEquals(Map.of(), jedis.hgetAll("user:777"));
      assertEquals(Map.of(), jedis.hgetAll("user:777"));
      assertFalse(jedis.exists("user:777"));
      assertEquals(loads + 1, (Long) status(jedis, "users", "loads"));
      assertTrue((Long) status(jedis, "users", "negative_hits") >= 2);

      server.clock().advance(Duration.ofSeconds(31));
      assertEquals(Map.of(), jedis.hgetAll("user:777"));
      assertEquals(loads + 2, (Long) status(jedis, "users", "loads"), "negative-ttl passed");
    }
  }

  // ---- invalidation ----

  @Test
  void update_throughJdbc_evictsTheCachedKeyViaNotify() throws Exception {
    try (Jedis jedis = server.jedis()) {
      assertEquals("Edsger", jedis.hget("user:3", "name"));
      execute("UPDATE public.users SET name = 'Edsger W.' WHERE id = 3");
      await("the NOTIFY to evict user:3", () -> "Edsger W.".equals(jedis.hget("user:3", "name")));
      execute("UPDATE public.users SET name = 'Edsger' WHERE id = 3");
    }
  }

  @Test
  void insert_ofANegativelyCachedRow_isSeenAfterNotify() throws Exception {
    try (Jedis jedis = server.jedis()) {
      assertEquals(Map.of(), jedis.hgetAll("user:900"));
      execute("INSERT INTO public.users VALUES (900, 'Newcomer', NULL, NULL)");
      await(
          "the NOTIFY to forget user:900's absence",
          () -> "Newcomer".equals(jedis.hget("user:900", "name")));
      execute("DELETE FROM public.users WHERE id = 900");
    }
  }

  @Test
  void listenConnection_terminated_reconnectsAndDropsNotifyMappedKeys() throws Exception {
    try (Jedis jedis = server.jedis()) {
      jedis.set("plain", "stays");
      assertEquals("Ada", jedis.hget("user:1", "name"));
      assertEquals("Grace", jedis.hget("user:2", "name"));
      assertEquals(3L, jedis.dbSize());
      int killed;
      try (Connection c = server.jdbc()) {
        killed = ListenBackends.terminate(c);
      }
      assertEquals(1, killed, "one LISTEN connection");
      await("the drop after the reconnect", () -> jedis.dbSize() == 1);
      assertEquals("stays", jedis.get("plain"));
      String info = jedis.info("sluice");
      assertTrue(info.contains("invalidation_reconnects:1"), info);
      await("listening again", () -> jedis.info("sluice").contains("invalidation_listening:1"));
      // and invalidation works again on the new connection
      assertEquals("Ada", jedis.hget("user:1", "name"));
      execute("UPDATE public.users SET name = 'Ada L.' WHERE id = 1");
      await(
          "the NOTIFY on the new connection", () -> "Ada L.".equals(jedis.hget("user:1", "name")));
      execute("UPDATE public.users SET name = 'Ada' WHERE id = 1");
    }
  }

  // ---- hostile keys ----

  @Test
  void hget_keysFullOfQuotesSemicolonsDollarsAndUnicode_areOnlyValues() throws Exception {
    try (Jedis jedis = server.jedis()) {
      assertEquals("quote", jedis.hget("note:it's", "body"));
      assertEquals("semi", jedis.hget("note:a;b; DROP TABLE notes; --", "body"));
      assertEquals("dollar", jedis.hget("note:$1", "body"));
      assertEquals("unicode", jedis.hget("note:ünï€😀", "body"));
      assertEquals("dq", jedis.hget("note:\"double\"", "body"));
      assertEquals("bs", jedis.hget("note:back\\slash", "body"));
      assertEquals(Map.of(), jedis.hgetAll("note:'; DELETE FROM notes; --"));
      assertEquals(Map.of(), jedis.hgetAll("note:a\0b"), "NUL: no row can have it");
      assertEquals(Map.of(), jedis.hgetAll("note:$2 OR 1=1"));
      assertEquals(Map.of(), jedis.hgetAll("note:/* comment */ x"));
      assertEquals(Map.of(), jedis.hgetAll("note:" + "ünï€😀".repeat(3000)), "long non-ASCII");
      // field names are looked up in the loaded row, never sent to PostgreSQL
      assertEquals(null, jedis.hget("note:it's", "body; DROP TABLE notes; --"));
      assertEquals(null, jedis.hget("note:it's", "\"body\""));
      byte[] notUtf8 = {'n', 'o', 't', 'e', ':', (byte) 0xff, (byte) 0xfe};
      JedisDataException error =
          assertThrows(JedisDataException.class, () -> jedis.hgetAll(notUtf8));
      assertTrue(error.getMessage().contains("not valid UTF-8"), error.getMessage());
    }
    try (Connection c = server.jdbc();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM public.notes")) {
      rs.next();
      assertEquals(6, rs.getInt(1), "the table is intact");
    }
  }

  // ---- SLUICE commands and INFO ----

  @Test
  void sluiceWarm_rowMapping_loadsRowsWithoutQueriesPerKey() {
    try (Jedis jedis = server.jedis()) {
      assertEquals(2L, sluice(jedis, "WARM", "users", "LIMIT", "2"));
      assertEquals(2L, jedis.dbSize());
      assertEquals(3L, sluice(jedis, "WARM", "users"), "only the 3 keys not in memory yet");
      assertEquals(5L, jedis.dbSize());
      long loads = (Long) status(jedis, "users", "loads");
      assertEquals("GB", jedis.hget("user:5", "country"));
      assertEquals(loads, (Long) status(jedis, "users", "loads"), "a hit");
      JedisDataException error =
          assertThrows(JedisDataException.class, () -> sluice(jedis, "WARM", "top_json"));
      assertTrue(error.getMessage().contains("query mapping"), error.getMessage());
    }
  }

  @Test
  void sluiceInvalidate_mappingOrPattern_evictsAndCounts() {
    try (Jedis jedis = server.jedis()) {
      jedis.hgetAll("user:1");
      jedis.hgetAll("user:2");
      jedis.get("product:1");
      jedis.set("plain", "x");
      assertEquals(1L, sluice(jedis, "INVALIDATE", "product:*"));
      assertEquals(2L, sluice(jedis, "INVALIDATE", "users"));
      assertEquals(0L, sluice(jedis, "INVALIDATE", "plain*"), "plain keys are not mapped keys");
      assertEquals(1L, jedis.dbSize());
    }
  }

  @Test
  void sluiceStatusAndInfo_perMappingFigures() {
    try (Jedis jedis = server.jedis()) {
      jedis.hgetAll("user:1");
      jedis.hgetAll("user:1");
      assertEquals(1L, status(jedis, "users", "keys"));
      assertTrue((Long) status(jedis, "users", "hits") >= 1);
      assertTrue((Long) status(jedis, "users", "misses") >= 1);
      assertEquals("closed", status(jedis, "users", "breaker"));
      String info = jedis.info("sluice");
      assertTrue(info.contains("# Sluice"), info);
      assertTrue(info.contains("mapping_users:kind=row,keys=1,hits="), info);
      assertTrue(jedis.info().contains("# Sluice"), "INFO shows the section by default");
    }
  }

  @Test
  void sluiceInstallTriggers_installsAndReplies() throws Exception {
    try (Jedis jedis = server.jedis()) {
      Object reply = sluice(jedis, "INSTALL-TRIGGERS", "users");
      assertTrue(
          SafeEncoder.encode((byte[]) reply).contains("sluice_invalidate_users on public.users"),
          SafeEncoder.encode((byte[]) reply));
      JedisDataException error =
          assertThrows(JedisDataException.class, () -> sluice(jedis, "INSTALL-TRIGGERS", "nope"));
      assertTrue(error.getMessage().contains("no mapping named 'nope'"), error.getMessage());
    }
    try (Connection c = server.jdbc();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'sluice_invalidate_users%'")) {
      rs.next();
      assertEquals(2, rs.getInt(1));
    }
  }
}
