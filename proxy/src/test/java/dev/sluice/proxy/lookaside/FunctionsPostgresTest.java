package dev.sluice.proxy.lookaside;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.testing.MappedTestServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.resps.LibraryInfo;

/**
 * Function libraries kept in PostgreSQL ({@code sluice.function_libraries}): written before
 * FUNCTION LOAD, DELETE, FLUSH and RESTORE are acknowledged, and loaded again by the next Sluice
 * over the same database; and FCALL's declared keys loaded from PostgreSQL before the function
 * runs, as EVAL's are.
 */
class FunctionsPostgresTest {
  @TempDir Path dir;

  private static final String SCHEMA =
      """
      CREATE TABLE public.users (id bigint PRIMARY KEY, name text NOT NULL);
      INSERT INTO public.users VALUES (1, 'Ada'), (2, 'Grace');
      """;

  private static final String MAPPINGS =
      """
      mappings:
        - name: users
          keys: "user:{id}"
          table: public.users
          key-columns: [id]
          shape: hash
      """;

  private static final String NAMES =
      """
      #!lua name=names
      redis.register_function{function_name='name_of', flags={'no-writes'},
        callback=function(keys, args) return redis.call('HGET', keys[1], 'name') end}
      """;

  private static final String COUNTER =
      """
      #!lua name=counter
      redis.register_function('bump', function(keys) return redis.call('INCR', keys[1]) end)
      """;

  private MappedTestServer start() {
    return MappedTestServer.start(
        MAPPINGS,
        SCHEMA,
        Map.of(
            "postgres.data-dir", dir.resolve("pg").toString(),
            "journal.dir", dir.resolve("journal").toString()));
  }

  private static List<String> libraryNames(Jedis jedis) {
    List<String> names = new ArrayList<>();
    for (LibraryInfo info : jedis.functionList()) {
      names.add(info.getLibraryName());
    }
    names.sort(null);
    return names;
  }

  private static List<String> storedNames(MappedTestServer server) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Connection c = server.jdbc();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT name FROM sluice.function_libraries ORDER BY name")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }

  @Test
  void load_thenSluiceRestarts_librariesAndFunctionsAreBack() throws Exception {
    try (MappedTestServer server = start();
        Jedis jedis = server.jedis()) {
      assertEquals("names", jedis.functionLoad(NAMES));
      assertEquals("counter", jedis.functionLoad(COUNTER));
      assertEquals(List.of("counter", "names"), storedNames(server), "stored when acknowledged");
    }
    try (MappedTestServer server = start();
        Jedis jedis = server.jedis()) {
      assertEquals(List.of("counter", "names"), libraryNames(jedis));
      assertEquals(1L, jedis.fcall("bump", List.of("n"), List.of()));
      assertEquals("Grace", jedis.fcallReadonly("name_of", List.of("user:2"), List.of()));
      String code = jedis.functionListWithCode().get(0).getLibraryCode();
      assertTrue(code.startsWith("#!lua name="), code);
    }
  }

  @Test
  void deleteFlushAndRestore_thenSluiceRestarts_theStoreFollowedEachChange() throws Exception {
    byte[] dump;
    try (MappedTestServer server = start();
        Jedis jedis = server.jedis()) {
      jedis.functionLoad(NAMES);
      jedis.functionLoad(COUNTER);
      assertEquals("OK", jedis.functionDelete("names"));
      assertEquals(List.of("counter"), storedNames(server));
      dump = jedis.functionDump();
      assertEquals("OK", jedis.functionFlush());
      assertEquals(List.of(), storedNames(server));
    }
    try (MappedTestServer server = start();
        Jedis jedis = server.jedis()) {
      assertEquals(List.of(), libraryNames(jedis), "flushed before the restart");
      jedis.functionLoad(NAMES);
      assertEquals("OK", jedis.functionRestore(dump));
      assertEquals(List.of("counter", "names"), storedNames(server));
    }
    try (MappedTestServer server = start();
        Jedis jedis = server.jedis()) {
      assertEquals(List.of("counter", "names"), libraryNames(jedis));
      assertEquals(1L, jedis.fcall("bump", List.of("n"), List.of()));
    }
  }

  @Test
  void fcall_rowMappedKeyOnlyInPostgres_isLoadedBeforeTheFunctionRuns() {
    try (MappedTestServer server = start();
        Jedis jedis = server.jedis()) {
      jedis.functionLoad(NAMES);
      assertEquals(0, jedis.dbSize(), "no key in memory yet");
      assertEquals("Ada", jedis.fcall("name_of", List.of("user:1"), List.of()));
      assertEquals(1, jedis.dbSize(), "user:1 loaded by FCALL's declared key");
      assertEquals("Grace", jedis.fcallReadonly("name_of", List.of("user:2"), List.of()));
    }
  }
}
