package dev.sluice.proxy.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.testing.Await;
import dev.sluice.proxy.testing.MappedTestServer;
import dev.sluice.proxy.testing.RespSocket;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.support.caching.CacheAccessor;
import io.lettuce.core.support.caching.CacheFrontend;
import io.lettuce.core.support.caching.ClientSideCaching;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.csc.Cache;
import redis.clients.jedis.csc.CacheConfig;

/**
 * Client-side caching with the real clients' own caches — Lettuce's {@code CacheFrontend} and
 * Jedis's {@code CacheConfig} cache — kept coherent by Sluice: a cached value is dropped when
 * another client writes its key, when the key expires, and when its row is changed with SQL
 * directly in PostgreSQL (the NOTIFY path); the next read gets the new value. A LISTEN connection
 * killed in PostgreSQL makes every tracking client drop everything.
 */
class ClientSideCachingTest {
  @TempDir static Path dir;
  private static MappedTestServer server;
  private static RedisClient lettuce;

  private static final String SCHEMA =
      """
      CREATE TABLE public.accounts (id bigint PRIMARY KEY, doc text NOT NULL);
      INSERT INTO public.accounts VALUES (1, 'one'), (2, 'two'), (3, 'three'), (4, 'four'),
        (5, 'five');
      """;

  private static final String MAPPINGS =
      """
      postgres:
        connect-timeout: 2s
        query-timeout: 5s
      mappings:
        - name: accounts
          keys: "acct:{id}"
          query: SELECT doc FROM public.accounts WHERE id = :id
          depends-on: [public.accounts]
          ttl: 10m
          invalidate: notify
      """;

  @BeforeAll
  static void start() {
    server =
        MappedTestServer.start(
            MAPPINGS, SCHEMA, Map.of("postgres.data-dir", dir.resolve("pg").toString()));
    lettuce = RedisClient.create(RedisURI.create("127.0.0.1", server.port()));
  }

  @AfterAll
  static void stop() {
    if (lettuce != null) {
      lettuce.shutdown();
    }
    if (server != null) {
      server.close();
      server.connector().close();
    }
  }

  /**
   * Each test changes rows of its own only: a late NOTIFY of another test's change cannot race it.
   */
  @BeforeEach
  void reset() {
    try (Jedis jedis = server.jedis()) {
      jedis.flushAll();
    }
  }

  /** What GET answers for a row of the accounts query: its rows as a JSON array. */
  private static String doc(String text) {
    return "[{\"doc\":\"" + text + "\"}]";
  }

  private static void sql(String statement) throws SQLException {
    try (Connection c = server.jdbc();
        Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  // ---- Lettuce ----

  /** A Lettuce connection with its client-side cache: a map Lettuce keeps coherent. */
  private record Cached(
      StatefulRedisConnection<String, String> conn,
      Map<String, String> cache,
      CacheFrontend<String, String> frontend)
      implements AutoCloseable {
    static Cached enable(TrackingArgs tracking) {
      StatefulRedisConnection<String, String> conn = lettuce.connect();
      Map<String, String> cache = new ConcurrentHashMap<>();
      return new Cached(
          conn, cache, ClientSideCaching.enable(CacheAccessor.forMap(cache), conn, tracking));
    }

    String get(String key) {
      return frontend.get(key);
    }

    boolean holds(String key) {
      return cache.containsKey(key);
    }

    @Override
    public void close() {
      frontend.close();
      conn.close();
    }
  }

  @Test
  void lettuceCacheFrontend_otherClientWrites_cachedValueDroppedThenNewOneRead() {
    try (Cached c = Cached.enable(TrackingArgs.Builder.enabled());
        Jedis other = server.jedis()) {
      other.set("plain", "v1");
      assertEquals("v1", c.get("plain"));
      assertEquals("v1", c.cache().get("plain"), "cached in the client");
      other.set("plain", "v2");
      Await.until("the invalidation of plain", () -> !c.holds("plain"));
      assertEquals("v2", c.get("plain"));
    }
  }

  @Test
  void lettuceCacheFrontend_rowUpdatedWithSql_cachedValueDroppedThenNewOneRead()
      throws SQLException {
    try (Cached c = Cached.enable(TrackingArgs.Builder.enabled())) {
      assertEquals(doc("one"), c.get("acct:1"));
      assertEquals(doc("one"), c.cache().get("acct:1"));
      sql("UPDATE public.accounts SET doc = 'uno' WHERE id = 1");
      Await.until("the invalidation of acct:1 by NOTIFY", () -> !c.holds("acct:1"));
      assertEquals(doc("uno"), c.get("acct:1"));
    }
  }

  @Test
  void lettuceCacheFrontend_keyExpires_cachedValueDropped() {
    try (Cached c = Cached.enable(TrackingArgs.Builder.enabled());
        Jedis other = server.jedis()) {
      assertEquals(doc("two"), c.get("acct:2"));
      other.set("session", "s1");
      other.pexpire("session", 1_000);
      assertEquals("s1", c.get("session"));
      // the mapping's ttl (10m) and the key's own TTL pass on the server's clock; the active
      // expire cycle removes both keys and tells the client
      server.clock().advance(Duration.ofMinutes(11));
      Await.until(
          "the invalidations of expired keys", () -> !c.holds("session") && !c.holds("acct:2"));
      assertEquals(null, c.get("session"));
    }
  }

  @Test
  void lettuceBcastPrefix_mappedTemplate_sqlUpdateInvalidates() throws SQLException {
    try (Cached c = Cached.enable(TrackingArgs.Builder.enabled().bcast().prefixes("acct:"));
        Jedis other = server.jedis()) {
      assertEquals(doc("three"), c.get("acct:3"));
      other.set("unrelated", "x"); // no message: outside the prefix
      sql("UPDATE public.accounts SET doc = 'tres' WHERE id = 3");
      Await.until("the BCAST invalidation of acct:3", () -> !c.holds("acct:3"));
      assertEquals(doc("tres"), c.get("acct:3"));
    }
  }

  // ---- Jedis ----

  private static UnifiedJedis cachingJedis() {
    return redis.clients.jedis.RedisClient.builder()
        .hostAndPort(new HostAndPort("127.0.0.1", server.port()))
        .clientConfig(DefaultJedisClientConfig.builder().protocol(RedisProtocol.RESP3).build())
        .cacheConfig(CacheConfig.builder().maxSize(1_000).build())
        .build();
  }

  @Test
  void jedisCache_writesSqlAndExpiry_eachDropsTheCachedValue() throws SQLException {
    try (UnifiedJedis jedis = cachingJedis();
        Jedis other = server.jedis()) {
      Cache cache = jedis.getCache();
      other.set("k", "v1");
      assertEquals("v1", jedis.get("k"));
      assertEquals("v1", jedis.get("k"));
      assertTrue(cache.getStats().getHitCount() >= 1, "the second read came from the cache");

      other.set("k", "v2");
      Await.until("the new value of k after its invalidation", () -> "v2".equals(jedis.get("k")));

      assertEquals(doc("four"), jedis.get("acct:4"));
      sql("UPDATE public.accounts SET doc = 'vier' WHERE id = 4");
      Await.until(
          "the new row of acct:4 after NOTIFY", () -> doc("vier").equals(jedis.get("acct:4")));

      other.set("short", "lived");
      other.pexpire("short", 1_000);
      assertEquals("lived", jedis.get("short"));
      server.clock().advance(Duration.ofSeconds(2));
      Await.until("the expiry of short", () -> jedis.get("short") == null);
    }
  }

  // ---- the LISTEN connection ----

  @Test
  void listenConnectionKilled_trackingClientsToldToDropEverything() throws SQLException {
    try (RespSocket tracking = RespSocket.connect(server.port())) {
      tracking.call("HELLO", "3");
      assertEquals(new RespSocket.Simple("OK"), tracking.call("CLIENT", "TRACKING", "on"));
      assertEquals(doc("five"), tracking.call("GET", "acct:5"));
      int killed;
      try (Connection c = server.jdbc();
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                      + " WHERE query ILIKE 'LISTEN%' AND pid <> pg_backend_pid()")) {
        rs.next();
        killed = rs.getInt(1);
      }
      assertEquals(1, killed, "one LISTEN connection");
      tracking.readTimeout(Duration.ofSeconds(15));
      // a flush (invalidate with a null list of keys) when the loss is seen, another when back
      assertEquals(List.of("invalidate", RespSocket.Nil.NULL), tracking.read());
      assertEquals(List.of("invalidate", RespSocket.Nil.NULL), tracking.read());
    }
  }
}
