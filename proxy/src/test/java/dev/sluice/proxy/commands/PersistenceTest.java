package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.config.Settings;
import dev.sluice.proxy.testing.Await;
import dev.sluice.proxy.testing.RespSocket;
import dev.sluice.proxy.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The RDB file on a Sluice server: restarts keep plain keys and their TTLs, SHUTDOWN and SIGTERM
 * save as Redis does, the save points start background saves on the server's clock, BGSAVE and INFO
 * persistence.
 */
class PersistenceTest {
  @TempDir Path dir;

  private TestServer start(String save) {
    return TestServer.start(b -> b.set(Settings.DIR, dir.toString()).set(Settings.SAVE, save));
  }

  private static void populate(Jedis jedis) {
    jedis.set("plain", "v");
    jedis.pexpire("plain", 100_000);
    jedis.rpush("list", "a", "b", "c");
    jedis.hset("hash", Map.of("f", "1"));
    jedis.select(2);
    jedis.sadd("set2", "x", "y");
    jedis.select(0);
  }

  private static void assertPopulated(Jedis jedis) {
    assertEquals(3, jedis.dbSize());
    assertEquals("v", jedis.get("plain"));
    assertEquals(100_000, jedis.pttl("plain"), "both servers' clocks start at the same time");
    assertEquals(List.of("a", "b", "c"), jedis.lrange("list", 0, -1));
    assertEquals(Map.of("f", "1"), jedis.hgetAll("hash"));
    assertEquals(-1, jedis.ttl("hash"));
    jedis.select(2);
    assertEquals(2, jedis.scard("set2"));
    jedis.select(0);
  }

  private static long info(Jedis jedis, String field) {
    return Await.infoLong(jedis, "persistence", field);
  }

  @Test
  void shutdown_savePointsConfigured_restartKeepsKeysAndTtls() {
    try (TestServer first = start("3600 1")) {
      try (Jedis jedis = first.jedis(RedisProtocol.RESP2)) {
        populate(jedis);
      }
      try (RespSocket c = RespSocket.connect(first.port())) {
        c.send("SHUTDOWN");
        assertTrue(c.closedWithin(Duration.ofSeconds(10)), "the connection closes, no reply");
      }
    }
    assertTrue(Files.exists(dir.resolve("dump.rdb")));
    try (TestServer second = start("3600 1");
        Jedis jedis = second.jedis(RedisProtocol.RESP2)) {
      assertPopulated(jedis);
      assertEquals(4, info(jedis, "rdb_last_load_keys_loaded"));
      assertEquals(0, info(jedis, "rdb_changes_since_last_save"));
    }
  }

  @Test
  void exit_savePointsConfigured_savesAsSigtermDoes() {
    TestServer first = start("3600 1");
    try (Jedis jedis = first.jedis(RedisProtocol.RESP2)) {
      populate(jedis);
    }
    first.exit();
    try (TestServer second = start("");
        Jedis jedis = second.jedis(RedisProtocol.RESP2)) {
      assertPopulated(jedis);
    }
  }

  @Test
  void exit_noSavePoints_writesNothing() {
    TestServer first = start("");
    try (Jedis jedis = first.jedis(RedisProtocol.RESP2)) {
      populate(jedis);
    }
    first.exit();
    assertFalse(Files.exists(dir.resolve("dump.rdb")));
  }

  @Test
  void shutdownNosave_savePointsConfigured_writesNothing() {
    try (TestServer server = start("3600 1")) {
      try (Jedis jedis = server.jedis(RedisProtocol.RESP2)) {
        populate(jedis);
      }
      try (RespSocket c = RespSocket.connect(server.port())) {
        c.send("SHUTDOWN", "NOSAVE");
        assertTrue(c.closedWithin(Duration.ofSeconds(10)));
      }
    }
    assertFalse(Files.exists(dir.resolve("dump.rdb")));
  }

  @Test
  void shutdown_saveFails_refusedUnlessForce() throws Exception {
    Path gone = Files.createDirectory(dir.resolve("gone"));
    try (TestServer server =
        TestServer.start(b -> b.set(Settings.DIR, gone.toString()).set(Settings.SAVE, "3600 1"))) {
      try (Jedis jedis = server.jedis(RedisProtocol.RESP2)) {
        populate(jedis);
        Files.delete(gone);
        assertEquals(
            "ERR",
            assertThrows(JedisDataException.class, jedis::save).getMessage(),
            "SAVE's reply when the file cannot be written");
        assertEquals(
            "ERR Errors trying to SHUTDOWN. Check logs.",
            assertThrows(
                    JedisDataException.class, () -> jedis.sendCommand(Protocol.Command.SHUTDOWN))
                .getMessage());
        assertEquals("PONG", jedis.ping(), "still serving");
      }
      try (RespSocket c = RespSocket.connect(server.port())) {
        c.send("SHUTDOWN", "FORCE");
        assertTrue(c.closedWithin(Duration.ofSeconds(10)));
      }
    }
  }

  @Test
  void savePoint_reached_backgroundSaveWritesTheFile() {
    try (TestServer server = start("60 2");
        Jedis jedis = server.jedis(RedisProtocol.RESP2)) {
      long started = jedis.lastsave();
      jedis.set("a", "1");
      jedis.set("b", "2");
      assertEquals(2, info(jedis, "rdb_changes_since_last_save"));
      server.clock().advance(Duration.ofSeconds(61));
      Await.until(
          "the save point's background save to end",
          () -> info(jedis, "rdb_saves") == 1 && info(jedis, "rdb_bgsave_in_progress") == 0);
      assertEquals(0, info(jedis, "rdb_changes_since_last_save"));
      assertEquals(started + 61, jedis.lastsave());
      assertTrue(jedis.info("persistence").contains("rdb_last_bgsave_status:ok\r\n"));
      assertTrue(Files.exists(dir.resolve("dump.rdb")));
    }
  }

  @Test
  void savePoint_tooFewChanges_noSave() {
    try (TestServer server = start("60 5");
        Jedis jedis = server.jedis(RedisProtocol.RESP2)) {
      jedis.set("a", "1");
      jedis.set("b", "2");
      jedis.psetex("expiring", 1, "x"); // 3 changes, and a key for the cron to expire
      server.clock().advance(Duration.ofSeconds(61));
      // the cron checks the save points in the same turn as it expires keys
      Await.until("the cron to expire a key", () -> jedis.dbSize() == 2);
      assertEquals(0, info(jedis, "rdb_saves"));
      assertEquals(3, info(jedis, "rdb_changes_since_last_save"));
      assertFalse(Files.exists(dir.resolve("dump.rdb")));
    }
  }

  @Test
  void bgsave_started_fileLoadsBack() {
    try (TestServer server = start("")) {
      try (Jedis jedis = server.jedis(RedisProtocol.RESP2)) {
        populate(jedis);
        assertEquals("Background saving started", jedis.bgsave());
        Await.until("the background save to end", () -> info(jedis, "rdb_saves") == 1);
        assertEquals(0, info(jedis, "rdb_bgsave_in_progress"));
        assertEquals(-1, info(jedis, "rdb_current_bgsave_time_sec"));
        assertEquals(0, info(jedis, "rdb_last_bgsave_time_sec"));
      }
    }
    try (TestServer second = start("");
        Jedis jedis = second.jedis(RedisProtocol.RESP2)) {
      assertPopulated(jedis);
    }
  }

  @Test
  void savePoint_saveFails_statusErrAndRetriedAfterFiveSeconds() throws Exception {
    Path gone = Files.createDirectory(dir.resolve("gone"));
    try (TestServer server =
            TestServer.start(b -> b.set(Settings.DIR, gone.toString()).set(Settings.SAVE, "10 1"));
        Jedis jedis = server.jedis(RedisProtocol.RESP2)) {
      jedis.set("k", "v");
      Files.delete(gone);
      server.clock().advance(Duration.ofSeconds(11));
      Await.until(
          "the save point's background save to fail",
          () -> jedis.info("persistence").contains("rdb_last_bgsave_status:err\r\n"));
      assertEquals(0, info(jedis, "rdb_saves"));
      assertEquals(1, info(jedis, "rdb_changes_since_last_save"));
      Files.createDirectory(gone);
      // still due, but a failed save is tried again only more than 5 s later
      server.clock().advance(Duration.ofSeconds(5));
      jedis.psetex("expiring", 1, "x");
      server.clock().advance(Duration.ofMillis(2));
      Await.until("the cron to expire a key", () -> jedis.dbSize() == 1);
      assertEquals(0, info(jedis, "rdb_saves"));
      server.clock().advance(Duration.ofSeconds(1));
      Await.until("the retried save to succeed", () -> info(jedis, "rdb_saves") == 1);
      assertTrue(jedis.info("persistence").contains("rdb_last_bgsave_status:ok\r\n"));
    }
  }

  @Test
  void bgsave_inMulti_scheduledAndRunByTheCron() {
    try (TestServer server = start("");
        Jedis jedis = server.jedis(RedisProtocol.RESP2);
        RespSocket c = RespSocket.connect(server.port())) {
      jedis.set("k", "v");
      c.call("MULTI");
      c.call("BGSAVE");
      assertEquals("*1\r\n+Background saving scheduled\r\n", c.callRaw("EXEC"));
      Await.until("the scheduled save to end", () -> info(jedis, "rdb_saves") == 1);
      assertTrue(Files.exists(dir.resolve("dump.rdb")));
    }
  }

  @Test
  void configGetDir_absolutePathOfTheDirectory() {
    try (TestServer server = start("");
        Jedis jedis = server.jedis(RedisProtocol.RESP2)) {
      assertEquals(Map.of("dir", dir.toString()), jedis.configGet("dir"));
    }
  }

  @Test
  void start_truncatedFile_refusedNamingTheFileAndOffset() throws Exception {
    Path file = dir.resolve("dump.rdb");
    // the magic, SELECTDB 1, a string's type byte, and nothing more
    Files.write(file, "REDIS0010\u00fe\u0001\u0000".getBytes(StandardCharsets.ISO_8859_1));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> start(""));
    assertEquals(
        "RDB file " + file + " is not readable at byte 12: RDB data ends at byte 12",
        e.getMessage());
  }
}
