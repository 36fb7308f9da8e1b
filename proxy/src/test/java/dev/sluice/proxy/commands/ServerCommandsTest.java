package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.testing.RespSocket;
import dev.sluice.proxy.testing.RespSocket.Err;
import dev.sluice.proxy.testing.RespSocket.Nil;
import dev.sluice.proxy.testing.RespSocket.Simple;
import dev.sluice.proxy.testing.RespSocket.Verbatim;
import dev.sluice.proxy.testing.TestServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.args.FlushMode;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.resps.CommandDocument;
import redis.clients.jedis.resps.CommandInfo;

class ServerCommandsTest {
  private static final String OOM = "OOM command not allowed when used memory > 'maxmemory'.";
  private static final String VALUE_1K = "v".repeat(1000);

  private static TestServer server;
  private Jedis jedis;

  @BeforeAll
  static void startServer() {
    server = TestServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void resetServer() {
    jedis = server.jedis(RedisProtocol.RESP2);
    jedis.configSet(
        "maxmemory", "0",
        "maxmemory-policy", "noeviction",
        "save", "3600 1 300 100 60 10000");
    jedis.flushAll();
    jedis.configResetStat();
  }

  @AfterEach
  void closeClient() {
    jedis.close();
  }

  private static RespSocket raw() {
    return RespSocket.connect(server.port());
  }

  /** INFO text as field → value; section headers are ignored. */
  private static Map<String, String> fields(String info) {
    Map<String, String> fields = new HashMap<>();
    for (String line : info.split("\r\n")) {
      int colon = line.indexOf(':');
      if (!line.startsWith("#") && colon > 0) {
        fields.put(line.substring(0, colon), line.substring(colon + 1));
      }
    }
    return fields;
  }

  private long stat(String field) {
    return Long.parseLong(fields(jedis.info()).get(field));
  }

  private static void assertContains(String text, String... parts) {
    for (String part : parts) {
      assertTrue(text.contains(part), () -> "expected '" + part + "' in: " + text);
    }
  }

  // ---- INFO ----

  @Test
  void memoryUsage_isWhatTheKeyAddsToUsedMemory() {
    long before = dev.sluice.proxy.testing.Await.infoLong(jedis, "memory", "used_memory");
    jedis.set("k", VALUE_1K);
    long after = dev.sluice.proxy.testing.Await.infoLong(jedis, "memory", "used_memory");
    assertEquals(after - before, jedis.memoryUsage("k"));
    jedis.hset("h", "f", "v");
    assertTrue(jedis.memoryUsage("h") > 0);
    assertTrue(jedis.memoryUsage("k") > jedis.memoryUsage("h", 0));
  }

  @Test
  void info_default_hasRedisSectionsAndFields() {
    String info = jedis.info();

    assertContains(
        info,
        "# Server\r\n",
        "\r\nredis_version:7.4.0\r\n",
        "# Clients\r\n",
        "# Memory\r\n",
        "# Stats\r\n",
        "# Keyspace\r\n");
    Map<String, String> fields = fields(info);
    assertFalse(fields.get("sluice_version").isBlank());
    assertTrue(Long.parseLong(fields.get("uptime_in_seconds")) >= 0);
    assertEquals(String.valueOf(server.port()), fields.get("tcp_port"));
    assertTrue(Long.parseLong(fields.get("connected_clients")) >= 1);
    long emptyMemory = Long.parseLong(fields.get("used_memory"));
    jedis.set("k", VALUE_1K);
    assertTrue(stat("used_memory") > emptyMemory + 1000, "used_memory grows with data");
    assertEquals("0", fields.get("keyspace_hits"));
    assertEquals("0", fields.get("keyspace_misses"));
    assertEquals("noeviction", fields.get("maxmemory_policy"));
    assertTrue(info.indexOf("# Server") < info.indexOf("# Clients"));
    assertTrue(info.indexOf("# Stats") < info.indexOf("# Keyspace"));
  }

  @Test
  void info_getHitAndMiss_moveKeyspaceCounters() {
    jedis.set("k", "v");
    long hits = stat("keyspace_hits");
    long misses = stat("keyspace_misses");

    assertEquals("v", jedis.get("k"));
    assertNull(jedis.get("missing"));
    assertNull(jedis.get("missing-too"));

    assertEquals(hits + 1, stat("keyspace_hits"));
    assertEquals(misses + 2, stat("keyspace_misses"));
  }

  @Test
  void info_keyspace_countsKeysAndExpiresPerDatabase() {
    jedis.set("a", "1");
    jedis.set("b", "2");
    jedis.setex("c", 100, "3");
    jedis.select(2);
    jedis.set("x", "1");

    String keyspace = jedis.info("keyspace");

    assertTrue(keyspace.startsWith("# Keyspace\r\n"), keyspace);
    assertContains(keyspace, "\r\ndb0:keys=3,expires=1,", "\r\ndb2:keys=1,expires=0,");
    assertFalse(keyspace.contains("db1:"), "empty databases are not listed");
    Map<String, String> memory = fields(jedis.info("memory"));
    assertTrue(Long.parseLong(memory.get("used_memory")) > 0);
  }

  @Test
  void info_memorySection_isTheOnlySection() {
    String memory = jedis.info("memory");

    assertTrue(memory.startsWith("# Memory\r\n"), memory);
    assertEquals(1, memory.split("# ").length - 1, memory);
    assertContains(memory, "used_memory:", "maxmemory:0\r\n", "maxmemory_policy:noeviction");
    assertFalse(memory.contains("redis_version"));
  }

  @Test
  void info_severalSections_returnsEachInOrder() {
    try (RespSocket c = raw()) {
      String info = (String) c.call("INFO", "server", "KEYSPACE");

      assertTrue(info.startsWith("# Server\r\n"), info);
      assertContains(info, "# Keyspace");
      assertFalse(info.contains("# Memory"));
      assertEquals("", c.call("INFO", "nosuchsection"));
    }
  }

  @Test
  void info_resp3_isVerbatimStringJedisCanRead() {
    try (Jedis resp3 = server.jedis(RedisProtocol.RESP3);
        RespSocket c = raw()) {
      assertContains(resp3.info(), "# Server\r\n", "redis_version:7.4.0");
      assertEquals("7.4.0", fields(resp3.info("server")).get("redis_version"));

      c.call("HELLO", "3");
      Verbatim info = assertInstanceOf(Verbatim.class, c.call("INFO", "server"));
      assertEquals("txt", info.format());
      assertTrue(info.text().startsWith("# Server\r\n"));
    }
  }

  // ---- COMMAND ----

  @Test
  void commandCount_equalsNumberOfCommandEntries() {
    try (RespSocket c = raw()) {
      List<?> all = assertInstanceOf(List.class, c.call("COMMAND"));
      long count = (Long) c.call("COMMAND", "COUNT");
      List<?> names = assertInstanceOf(List.class, c.call("COMMAND", "LIST"));

      assertEquals(all.size(), count);
      // COMMAND LIST names subcommands too, as container|subcommand
      assertEquals(count, names.stream().filter(n -> !((String) n).contains("|")).count());
      assertTrue(names.containsAll(List.of("get", "set", "client", "config", "command", "info")));
      assertTrue(names.containsAll(List.of("config|get", "command|getkeys")));
      assertTrue(count > 20, "count " + count);
    }
  }

  @Test
  void commandInfo_get_describesGet() {
    try (RespSocket c = raw()) {
      List<?> reply = assertInstanceOf(List.class, c.call("COMMAND", "INFO", "get"));

      assertEquals(1, reply.size());
      List<?> get = assertInstanceOf(List.class, reply.get(0));
      assertEquals(10, get.size());
      assertEquals("get", get.get(0));
      assertEquals(2L, get.get(1));
      assertEquals(List.of(new Simple("readonly"), new Simple("fast")), get.get(2));
      assertEquals(List.of(1L, 1L, 1L), get.subList(3, 6));
      assertTrue(((List<?>) get.get(6)).contains(new Simple("@read")));
    }
  }

  @Test
  void commandInfo_viaJedis_parses() {
    Map<String, CommandInfo> infos = jedis.commandInfo("get", "set");

    CommandInfo get = infos.get("get");
    assertEquals(2, get.getArity());
    assertTrue(get.getFlags().containsAll(List.of("readonly", "fast")), get.getFlags().toString());
    assertEquals(1, get.getFirstKey());
    assertEquals(1, get.getLastKey());
    assertEquals(1, get.getStep());
    assertEquals(-3, infos.get("set").getArity());
    assertTrue(infos.get("set").getFlags().contains("denyoom"));
  }

  @Test
  void commandInfo_unknownCommand_isNilElement() {
    try (RespSocket c = raw()) {
      List<?> reply = assertInstanceOf(List.class, c.call("COMMAND", "INFO", "get", "nosuch"));
      assertEquals(2, reply.size());
      assertEquals(Nil.BULK, reply.get(1), "Redis answers a null bulk string in RESP2");

      c.call("HELLO", "3");
      assertEquals(List.of(Nil.NULL), c.call("COMMAND", "INFO", "nosuch"));
    }
  }

  @Test
  void commandInfo_subcommand_usesPipeName() {
    try (RespSocket c = raw()) {
      List<?> reply = (List<?>) c.call("COMMAND", "INFO", "config|get");

      List<?> configGet = (List<?>) reply.get(0);
      assertEquals("config|get", configGet.get(0));
      assertEquals(-3L, configGet.get(1));
    }
  }

  @Test
  void commandDocs_get_isMapWithSummarySinceGroup() {
    try (RespSocket c = raw()) {
      c.call("HELLO", "3");

      Map<?, ?> docs = assertInstanceOf(Map.class, c.call("COMMAND", "DOCS", "get"));

      assertEquals(Set.of("get"), docs.keySet());
      Map<?, ?> get = assertInstanceOf(Map.class, docs.get("get"));
      assertFalse(((String) get.get("summary")).isBlank());
      assertEquals("1.0.0", get.get("since"));
      assertEquals("string", get.get("group"));
      assertEquals("O(1)", get.get("complexity"));
    }
  }

  @Test
  void commandDocs_viaJedisResp2_parses() {
    Map<String, CommandDocument> docs = jedis.commandDocs("get", "dbsize");

    assertEquals("1.0.0", docs.get("get").getSince());
    assertEquals("string", docs.get("get").getGroup());
    assertEquals("server", docs.get("dbsize").getGroup());
    assertFalse(docs.get("dbsize").getSummary().isBlank());
  }

  // ---- CONFIG ----

  @Test
  void configGet_resp2_isFlatArray_resp3_isMap() {
    try (RespSocket c = raw()) {
      assertEquals(List.of("maxmemory", "0"), c.call("CONFIG", "GET", "maxmemory"));

      c.call("HELLO", "3");

      assertEquals(Map.of("maxmemory", "0"), c.call("CONFIG", "GET", "maxmemory"));
    }
  }

  @Test
  void configGet_glob_returnsEveryMatch() {
    Map<String, String> config = jedis.configGet("maxmemory*");

    assertTrue(
        config.keySet().containsAll(List.of("maxmemory", "maxmemory-policy", "maxmemory-samples")),
        config.toString());
    assertTrue(
        config.keySet().stream().allMatch(k -> k.startsWith("maxmemory")), config.toString());
    assertEquals("noeviction", config.get("maxmemory-policy"));
    assertEquals("5", config.get("maxmemory-samples"));
    assertEquals(Map.of("maxmemory-policy", "noeviction"), jedis.configGet("MAXMEMORY-POL*"));
  }

  @Test
  void configGet_severalPatterns_andUnknown() {
    Map<String, String> config = jedis.configGet("databases", "port", "nosuch");

    assertEquals(Map.of("databases", "16", "port", "0"), config);
    assertEquals(Map.of(), jedis.configGet("nosuch*"));
  }

  @Test
  void configSet_maxmemoryWithUnit_isStoredInBytes() {
    assertEquals("OK", jedis.configSet("maxmemory", "100mb"));

    assertEquals(Map.of("maxmemory", "104857600"), jedis.configGet("maxmemory"));
    assertEquals("104857600", fields(jedis.info("memory")).get("maxmemory"));
  }

  @Test
  void configSet_twoParameters_setsBoth() {
    try (RespSocket c = raw()) {
      assertEquals(
          new Simple("OK"),
          c.call("CONFIG", "SET", "maxmemory", "1mb", "maxmemory-policy", "allkeys-lru"));
    }

    assertEquals("1048576", jedis.configGet("maxmemory").get("maxmemory"));
    assertEquals("allkeys-lru", jedis.configGet("maxmemory-policy").get("maxmemory-policy"));
    assertEquals("allkeys-lru", fields(jedis.info("memory")).get("maxmemory_policy"));
  }

  @Test
  void configSet_oneBadValue_changesNothing() {
    try (RespSocket c = raw()) {
      Err error =
          assertInstanceOf(
              Err.class,
              c.call("CONFIG", "SET", "maxmemory", "2mb", "maxmemory-policy", "sometimes"));

      assertTrue(
          error
              .message()
              .startsWith(
                  "ERR CONFIG SET failed (possibly related to argument 'maxmemory-policy') - "),
          error.message());
    }
    assertEquals("0", jedis.configGet("maxmemory").get("maxmemory"));
  }

  @Test
  void configSet_unknownParameter_isRefused() {
    try (RespSocket c = raw()) {
      assertEquals(
          new Err("ERR Unknown option or number of arguments for CONFIG SET - 'foo'"),
          c.call("CONFIG", "SET", "foo", "bar"));
    }
  }

  @Test
  void configSet_nameWithoutValue_isRefused() {
    try (RespSocket c = raw()) {
      assertEquals(
          new Err("ERR wrong number of arguments for 'config|set' command"),
          c.call("CONFIG", "SET", "maxmemory"));
      assertEquals(new Err("ERR syntax error"), c.call("CONFIG", "SET", "maxmemory", "1mb", "hz"));
    }
  }

  @Test
  void configSet_immutableParameter_isRefused() {
    JedisDataException e =
        assertThrows(JedisDataException.class, () -> jedis.configSet("databases", "4"));

    assertEquals(
        "ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable"
            + " config",
        e.getMessage());
    assertEquals("16", jedis.configGet("databases").get("databases"));
  }

  @Test
  void configSet_redisOnlyParameter_isRemembered() {
    assertEquals("OK", jedis.configSet("save", ""));
    assertEquals(Map.of("save", ""), jedis.configGet("save"));

    assertEquals("OK", jedis.configSet("appendonly", "no"));
    assertEquals("no", jedis.configGet("appendonly").get("appendonly"));
  }

  @Test
  void configResetstat_zeroesKeyspaceHits() {
    jedis.set("k", "v");
    jedis.get("k");
    jedis.get("missing");
    assertTrue(stat("keyspace_hits") >= 1);

    assertEquals("OK", jedis.configResetStat());

    assertEquals(0, stat("keyspace_hits"));
    assertEquals(0, stat("keyspace_misses"));
  }

  // ---- TIME, DBSIZE, FLUSH*, SWAPDB ----

  @Test
  void time_followsServerClock() {
    server.clock().set(1_800_000_000_123L);
    assertEquals(List.of("1800000000", "123000"), jedis.time());

    server.clock().advance(Duration.ofMillis(1_900));
    assertEquals(List.of("1800000002", "23000"), jedis.time());
  }

  @Test
  void dbsize_countsKeysOfSelectedDatabase() {
    assertEquals(0, jedis.dbSize());
    jedis.set("a", "1");
    jedis.set("b", "2");
    jedis.set("c", "3");
    jedis.del("c");

    assertEquals(2, jedis.dbSize());
    jedis.select(1);
    assertEquals(0, jedis.dbSize());
  }

  @Test
  void flushdb_clearsOnlySelectedDatabase() {
    jedis.set("a", "0");
    jedis.select(1);
    jedis.set("b", "1");

    assertEquals("OK", jedis.flushDB());

    assertEquals(0, jedis.dbSize());
    jedis.select(0);
    assertEquals("0", jedis.get("a"));
  }

  @Test
  void flushall_clearsEveryDatabase() {
    for (int db : new int[] {0, 1, 15}) {
      jedis.select(db);
      jedis.set("k" + db, "v");
    }
    jedis.select(1);

    assertEquals("OK", jedis.flushAll());

    for (int db : new int[] {0, 1, 15}) {
      jedis.select(db);
      assertEquals(0, jedis.dbSize(), "db " + db);
    }
  }

  @Test
  void flushall_asyncAndSyncModes_work() {
    jedis.set("a", "1");
    assertEquals("OK", jedis.flushAll(FlushMode.ASYNC));
    assertEquals(0, jedis.dbSize());

    jedis.set("a", "1");
    assertEquals("OK", jedis.flushDB(FlushMode.SYNC));
    assertEquals(0, jedis.dbSize());

    try (RespSocket c = raw()) {
      assertEquals(new Err("ERR syntax error"), c.call("FLUSHALL", "foo"));
      assertEquals(new Err("ERR syntax error"), c.call("FLUSHDB", "async", "sync"));
    }
  }

  @Test
  void swapdb_clientInDb0SeesOtherData() {
    try (Jedis other = server.jedis(RedisProtocol.RESP2)) {
      jedis.set("a", "from-0");
      other.select(1);
      other.set("b", "from-1");

      assertEquals("OK", jedis.swapDB(0, 1));

      assertEquals("from-1", jedis.get("b"));
      assertNull(jedis.get("a"));
      assertEquals("from-0", other.get("a"));
      assertContains(jedis.info("keyspace"), "db0:keys=1,", "db1:keys=1,");
    }
  }

  @Test
  void swapdb_badIndex_isRefused() {
    try (RespSocket c = raw()) {
      assertEquals(new Err("ERR invalid first DB index"), c.call("SWAPDB", "foo", "1"));
      assertEquals(new Err("ERR invalid second DB index"), c.call("SWAPDB", "0", "bar"));
      assertEquals(new Err("ERR DB index is out of range"), c.call("SWAPDB", "0", "16"));
      assertEquals(new Err("ERR DB index is out of range"), c.call("SWAPDB", "-1", "0"));
    }
  }

  // ---- maxmemory ----

  @Test
  void maxmemory_noeviction_refusesWritesButServesReads() {
    jedis.configSet("maxmemory", "200kb");
    try (RespSocket c = raw()) {
      Object reply = null;
      int written = 0;
      while (written < 10_000) {
        reply = c.call("SET", "key:" + written, VALUE_1K);
        if (!new Simple("OK").equals(reply)) {
          break;
        }
        written++;
      }

      assertEquals(new Err(OOM), reply);
      assertTrue(written > 100 && written < 300, "written " + written);
      assertEquals(VALUE_1K, c.call("GET", "key:0"));
      assertEquals(new Err(OOM), c.call("SET", "another", "x"));
      assertEquals((long) written, c.call("DBSIZE"));
      assertEquals(1L, c.call("DEL", "key:0"), "DEL is allowed and frees memory");
    }
    Map<String, String> memory = fields(jedis.info("memory"));
    assertEquals(String.valueOf(200 * 1024), memory.get("maxmemory"));
    assertEquals("0", fields(jedis.info("stats")).get("evicted_keys"));
  }

  @Test
  void maxmemory_allkeysLru_evictsInsteadOfRefusing() {
    jedis.configSet("maxmemory", "200kb", "maxmemory-policy", "allkeys-lru");
    try (RespSocket c = raw()) {
      for (int i = 0; i < 999; i++) {
        assertEquals(new Simple("OK"), c.call("SET", "key:" + i, VALUE_1K), "SET " + i);
      }
      // LRU time has Redis's one-second resolution: the last key must be the youngest to be safe
      server.clock().advance(Duration.ofSeconds(10));
      assertEquals(new Simple("OK"), c.call("SET", "key:999", VALUE_1K));
      assertEquals(VALUE_1K, c.call("GET", "key:999"));
    }

    Map<String, String> info = fields(jedis.info());
    long evicted = Long.parseLong(info.get("evicted_keys"));
    long used = Long.parseLong(info.get("used_memory"));
    long keys = jedis.dbSize();
    assertTrue(evicted > 0, "evicted " + evicted);
    assertEquals(1_000, keys + evicted);
    assertTrue(used <= 200 * 1024, "used_memory " + used);
    assertTrue(used > 100 * 1024, "used_memory " + used);
  }
}
