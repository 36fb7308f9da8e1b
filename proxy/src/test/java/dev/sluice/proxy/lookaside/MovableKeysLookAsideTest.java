package dev.sluice.proxy.lookaside;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.testing.MappedTestServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.util.SafeEncoder;

/**
 * Commands whose keys move (a count names them, as in ZUNIONSTORE, ZINTER, SINTERCARD, LMPOP, EVAL)
 * over keys that are only in PostgreSQL: {@code store: kv} keys written, flushed and then dropped
 * from memory by FLUSHALL, and keys of row and query mappings never read. Every key the command's
 * key specs find is loaded before it runs, so it answers as Redis would with the keys there, and
 * what it writes to kv keys is journaled whole (read back after another flush and FLUSHALL).
 * Expected replies are Redis 7's for the same data.
 */
class MovableKeysLookAsideTest {
  @TempDir static Path dir;
  private static MappedTestServer server;

  private static final String SCHEMA =
      """
      CREATE TABLE public.users (id bigint PRIMARY KEY, name text NOT NULL);
      INSERT INTO public.users VALUES (1, 'Ada'), (2, 'Grace');
      CREATE TABLE public.products (id int PRIMARY KEY, name text, category text, sold int);
      INSERT INTO public.products VALUES (1, 'espresso', 'kitchen', 120),
        (2, 'grinder', 'kitchen', 310), (3, 'lamp', 'office', 410), (4, 'a', 'office', 5);
      """;

  private static final String MAPPINGS =
      """
      mappings:
        - name: users
          keys: "user:{id}"
          table: public.users
          key-columns: [id]
          shape: hash
        - name: accounts
          keys: "account:{id}"
          table: public.users
          key-columns: [id]
          shape: hash
          write: back
        - name: board
          keys: "board:{category}"
          query: SELECT name, sold FROM public.products WHERE category = :category
          shape: zset
          member-column: name
          score-column: sold
        - name: names
          keys: "names:{category}"
          query: SELECT name FROM public.products WHERE category = :category ORDER BY name
          shape: list
        - name: nameset
          keys: "nameset:{category}"
          query: SELECT name FROM public.products WHERE category = :category
          shape: set
        - name: sessions
          keys: "session:*"
          store: kv
      """;

  @BeforeAll
  static void start() {
    server =
        MappedTestServer.start(
            MAPPINGS,
            SCHEMA,
            Map.of(
                "postgres.data-dir", dir.resolve("pg").toString(),
                "journal.dir", dir.resolve("journal").toString()));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
      server.connector().close();
    }
  }

  /**
   * The demo's kv keys, written through Sluice and flushed to sluice.kv, then dropped from memory:
   * session:z1 (a 1, b 2), session:z2 (b 5, c 3), session:s1 (x, y), session:s2 (y, z), session:l1
   * (p, q); no session:dest.
   */
  @BeforeEach
  void kvKeysOnlyInPostgres() {
    try (Jedis jedis = server.jedis()) {
      jedis.del("session:z1", "session:z2", "session:s1", "session:s2", "session:l1");
      jedis.del("session:dest");
      jedis.zadd("session:z1", Map.of("a", 1.0, "b", 2.0));
      jedis.zadd("session:z2", Map.of("b", 5.0, "c", 3.0));
      jedis.sadd("session:s1", "x", "y");
      jedis.sadd("session:s2", "y", "z");
      jedis.rpush("session:l1", "p", "q");
      onlyInPostgres(jedis);
    }
  }

  /** Flushes the kv mapping's journal to PostgreSQL, then drops every key from memory. */
  private static void onlyInPostgres(Jedis jedis) {
    jedis.sendCommand(() -> SafeEncoder.encode("SLUICE"), "FLUSH", "sessions");
    jedis.flushAll();
    assertEquals(0, jedis.dbSize());
  }

  private static Object call(Jedis jedis, String... args) {
    return plain(
        jedis.sendCommand(
            () -> SafeEncoder.encode(args[0]), java.util.Arrays.copyOfRange(args, 1, args.length)));
  }

  /** A Jedis raw reply with bulk strings as text. */
  private static Object plain(Object reply) {
    if (reply instanceof byte[] b) {
      return SafeEncoder.encode(b);
    }
    if (reply instanceof List<?> list) {
      return list.stream().map(MovableKeysLookAsideTest::plain).toList();
    }
    return reply;
  }

  private static String kvType(String key) throws SQLException {
    try (Connection c = server.jdbc();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT type FROM sluice.kv WHERE key = convert_to('" + key + "', 'UTF8')")) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  // ---- the demo's repro: kv keys only in PostgreSQL ----

  @Test
  void zunionstore_kvSourceOnlyInPostgres_storesItsMembersAndJournalsThem() throws Exception {
    try (Jedis jedis = server.jedis()) {
      assertEquals(2L, jedis.zunionstore("session:dest", "session:z1"));
      onlyInPostgres(jedis);
      assertEquals("zset", kvType("session:dest"));
      assertEquals(
          List.of("a", "1", "b", "2"),
          call(jedis, "ZRANGE", "session:dest", "0", "-1", "WITHSCORES"));
      assertEquals(2L, jedis.zcard("session:z1"), "the source is unchanged");
    }
  }

  @Test
  void zinterstoreAndZdiffstore_kvSourcesOnlyInPostgres_storeAndJournalTheResult()
      throws Exception {
    try (Jedis jedis = server.jedis()) {
      assertEquals(1L, call(jedis, "ZINTERSTORE", "session:dest", "2", "session:z1", "session:z2"));
      onlyInPostgres(jedis);
      assertEquals(
          List.of("b", "7"), call(jedis, "ZRANGE", "session:dest", "0", "-1", "WITHSCORES"));
      assertEquals(1L, call(jedis, "ZDIFFSTORE", "session:dest", "2", "session:z1", "session:z2"));
      onlyInPostgres(jedis);
      assertEquals(List.of("a"), call(jedis, "ZRANGE", "session:dest", "0", "-1"));
    }
  }

  @Test
  void zunionstore_sourcesEmptyInPostgresToo_deletesTheDestinationRow() throws Exception {
    try (Jedis jedis = server.jedis()) {
      jedis.set("session:dest", "old");
      onlyInPostgres(jedis);
      assertEquals("string", kvType("session:dest"));
      assertEquals(0L, call(jedis, "ZUNIONSTORE", "session:dest", "1", "session:none"));
      onlyInPostgres(jedis);
      assertNull(kvType("session:dest"));
      assertFalse(jedis.exists("session:dest"));
    }
  }

  @Test
  void zinterZunionZdiffZintercard_kvKeysOnlyInPostgres_answerFromTheirMembers() {
    try (Jedis jedis = server.jedis()) {
      assertEquals(List.of("a", "b"), call(jedis, "ZINTER", "1", "session:z1"));
      jedis.flushAll();
      assertEquals(
          List.of("b", "7"), call(jedis, "ZINTER", "2", "session:z1", "session:z2", "WITHSCORES"));
      jedis.flushAll();
      assertEquals(List.of("a", "c", "b"), call(jedis, "ZUNION", "2", "session:z1", "session:z2"));
      jedis.flushAll();
      assertEquals(List.of("a"), call(jedis, "ZDIFF", "2", "session:z1", "session:z2"));
      jedis.flushAll();
      assertEquals(1L, call(jedis, "ZINTERCARD", "2", "session:z1", "session:z2"));
    }
  }

  @Test
  void sintercard_kvSetsOnlyInPostgres_countsTheirIntersection() {
    try (Jedis jedis = server.jedis()) {
      assertEquals(2L, call(jedis, "SINTERCARD", "1", "session:s1"));
      jedis.flushAll();
      assertEquals(1L, call(jedis, "SINTERCARD", "2", "session:s1", "session:s2", "LIMIT", "5"));
    }
  }

  @Test
  void lmpopAndBlmpop_kvListOnlyInPostgres_popAndJournalTheRest() throws Exception {
    try (Jedis jedis = server.jedis()) {
      assertEquals(
          List.of("session:l1", List.of("p")), call(jedis, "LMPOP", "1", "session:l1", "LEFT"));
      onlyInPostgres(jedis);
      assertEquals(List.of("q"), jedis.lrange("session:l1", 0, -1));
      jedis.flushAll();
      assertEquals(
          List.of("session:l1", List.of("q")),
          call(jedis, "BLMPOP", "0", "2", "session:none", "session:l1", "RIGHT"));
      onlyInPostgres(jedis);
      assertNull(kvType("session:l1"), "popped empty: the row is gone");
      assertEquals(0L, jedis.llen("session:l1"));
    }
  }

  @Test
  void zmpopAndBzmpop_kvZsetOnlyInPostgres_popAndJournalTheRest() throws Exception {
    try (Jedis jedis = server.jedis()) {
      assertEquals(
          List.of("session:z1", List.of(List.of("a", "1"))),
          call(jedis, "ZMPOP", "1", "session:z1", "MIN"));
      onlyInPostgres(jedis);
      assertEquals(List.of("b"), call(jedis, "ZRANGE", "session:z1", "0", "-1"));
      jedis.flushAll();
      assertEquals(
          List.of("session:z2", List.of(List.of("b", "5"))),
          call(jedis, "BZMPOP", "0", "2", "session:z2", "session:z1", "MAX"));
      onlyInPostgres(jedis);
      assertEquals(List.of("c"), call(jedis, "ZRANGE", "session:z2", "0", "-1"));
    }
  }

  @Test
  void evalFamily_kvKeysOnlyInPostgres_scriptSeesThemAndItsWritesAreJournaled() throws Exception {
    try (Jedis jedis = server.jedis()) {
      String card = "return redis.call('ZCARD', KEYS[1])";
      assertEquals(2L, jedis.eval(card, 1, "session:z1"));
      jedis.flushAll();
      assertEquals(2L, call(jedis, "EVAL_RO", card, "1", "session:z1"));
      String sha = jedis.scriptLoad(card);
      jedis.flushAll();
      assertEquals(2L, jedis.evalsha(sha, 1, "session:z2"));
      jedis.flushAll();
      assertEquals(2L, call(jedis, "EVALSHA_RO", sha, "1", "session:z2"));
      jedis.flushAll();
      jedis.eval("redis.call('ZADD', KEYS[1], 3, 'c')", 1, "session:z1");
      onlyInPostgres(jedis);
      assertEquals(List.of("a", "b", "c"), call(jedis, "ZRANGE", "session:z1", "0", "-1"));
    }
  }

  @Test
  void exec_queuedMovableKeyCommand_loadsItsSourcesBeforeTheTransaction() throws Exception {
    try (Jedis jedis = server.jedis()) {
      var tx = jedis.multi();
      tx.zunionstore("session:dest", "session:z1", "session:z2");
      tx.sintercard("session:s1", "session:s2");
      assertEquals(List.of(3L, 1L), tx.exec());
      onlyInPostgres(jedis);
      assertEquals(
          List.of("a", "1", "c", "3", "b", "7"),
          call(jedis, "ZRANGE", "session:dest", "0", "-1", "WITHSCORES"));
    }
  }

  @Test
  void del_kvKeyOnlyInPostgres_answersThatItExistedAndDeletesItsRow() throws Exception {
    try (Jedis jedis = server.jedis()) {
      assertEquals(2L, jedis.del("session:z1", "session:none", "session:s1"));
      onlyInPostgres(jedis);
      assertNull(kvType("session:z1"));
      assertNull(kvType("session:s1"));
      assertEquals(0L, jedis.zcard("session:z1"));
    }
  }

  // ---- row and query mappings never read ----

  @Test
  void copy_writeBackRowKeyOnlyReadIntoKvKey_copiesTheRowAndJournalsTheCopy() throws Exception {
    try (Jedis jedis = server.jedis()) {
      assertEquals(1L, call(jedis, "COPY", "account:2", "session:copy"));
      onlyInPostgres(jedis);
      assertEquals("hash", kvType("session:copy"));
      assertEquals(Map.of("id", "2", "name", "Grace"), jedis.hgetAll("session:copy"));
      JedisDataException refused =
          assertThrows(
              JedisDataException.class, () -> call(jedis, "RENAME", "account:2", "session:moved"));
      assertTrue(refused.getMessage().contains("RENAME of key 'account:2' is not supported"));
    }
  }

  @Test
  void movableKeyCommands_queryMappedKeysNotInMemory_answerFromTheirRows() {
    try (Jedis jedis = server.jedis()) {
      assertEquals(
          List.of("espresso", "120", "grinder", "310"),
          call(jedis, "ZUNION", "1", "board:kitchen", "WITHSCORES"));
      jedis.flushAll();
      assertEquals(2L, call(jedis, "ZINTERCARD", "1", "board:kitchen"));
      jedis.flushAll();
      assertEquals(2L, call(jedis, "SINTERCARD", "2", "nameset:kitchen", "nameset:kitchen"));
      jedis.flushAll();
      assertEquals(
          List.of("names:office", List.of("a")), call(jedis, "LMPOP", "1", "names:office", "LEFT"));
      jedis.flushAll();
      assertEquals(
          List.of("board:office", List.of(List.of("lamp", "410"))),
          call(jedis, "ZMPOP", "1", "board:office", "MAX"));
    }
  }

  @Test
  void zunionstore_queryAndKvSourcesNotInMemory_journalsTheUnionToTheKvDestination()
      throws Exception {
    try (Jedis jedis = server.jedis()) {
      assertEquals(4L, jedis.zunionstore("session:dest", "board:kitchen", "session:z1"));
      onlyInPostgres(jedis);
      assertEquals(
          List.of("a", "b", "espresso", "grinder"),
          call(jedis, "ZRANGE", "session:dest", "0", "-1"));
    }
  }

  @Test
  void movableKeyCommands_rowMappedHashNotInMemory_wrongTypeAsRedis() {
    try (Jedis jedis = server.jedis()) {
      String wrongType = "WRONGTYPE Operation against a key holding the wrong kind of value";
      for (String[] command :
          List.of(
              new String[] {"ZUNION", "1", "user:1"},
              new String[] {"ZINTERCARD", "1", "user:1"},
              new String[] {"SINTERCARD", "1", "user:1"},
              new String[] {"LMPOP", "1", "user:1", "LEFT"},
              new String[] {"ZUNIONSTORE", "session:dest", "1", "user:1"})) {
        jedis.flushAll();
        JedisDataException e =
            assertThrows(JedisDataException.class, () -> call(jedis, command), command[0]);
        assertEquals(wrongType, e.getMessage(), command[0]);
      }
      jedis.flushAll();
      assertEquals("Ada", jedis.eval("return redis.call('HGET', KEYS[1], 'name')", 1, "user:1"));
      assertTrue(jedis.exists("user:1"), "loaded by EVAL's declared key");
    }
  }
}
