package dev.sluice.proxy.lookaside;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.testing.MappedTestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The cap on concurrent look-aside loads: with one load running (postgres.pool-size 1) and one
 * waiting (postgres.max-queued-loads 1), further misses are refused at once with a clear error
 * rather than queued, while plain keys keep being served.
 */
class LoadBulkheadTest {
  private static final String MAPPINGS =
      """
      postgres:
        pool-size: 1
        max-queued-loads: 1
        query-timeout: 10s
      mappings:
        - name: slow
          keys: "slow:{id}"
          query: SELECT :id AS id, CAST(pg_sleep(2) AS text) AS slept
      """;

  @TempDir static Path dir;
  private static MappedTestServer server;

  @BeforeAll
  static void start() {
    server =
        MappedTestServer.start(
            MAPPINGS, null, Map.of("postgres.data-dir", dir.resolve("pg").toString()));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void get_moreMissesThanRunningPlusQueuedLoads_refusedAtOnceWhileOthersWork() {
    List<CompletableFuture<String>> misses = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      String key = "slow:" + i;
      misses.add(
          CompletableFuture.supplyAsync(
              () -> {
                try (Jedis jedis = server.jedis()) {
                  return jedis.get(key);
                } catch (JedisDataException e) {
                  return e.getMessage();
                }
              }));
    }
    try (Jedis jedis = server.jedis()) {
      jedis.set("plain", "served");
      assertEquals("served", jedis.get("plain"), "plain keys do not wait for loads");
    }

    List<String> replies = misses.stream().map(CompletableFuture::join).toList();

    String busy =
        "ERR PostgreSQL is busy for mapping 'slow': too many loads waiting (1 running, 1"
            + " queued); try again";
    long refused = replies.stream().filter(busy::equals).count();
    long loaded = replies.stream().filter(r -> r != null && r.contains("\"slept\"")).count();
    assertTrue(refused >= 1, "a miss beyond the cap is refused: " + replies);
    assertTrue(loaded >= 1, "the running load answers: " + replies);
    assertEquals(4, refused + loaded, "every reply is a row or the busy error: " + replies);
  }
}
