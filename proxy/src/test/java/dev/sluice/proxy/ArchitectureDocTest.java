package dev.sluice.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.config.DemoConfiguration;
import dev.sluice.proxy.testing.MappedTestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * docs/ARCHITECTURE.md against the code: its package tables name exactly the packages there are,
 * every class it names exists, and its thread table names exactly the threads a running Sluice has.
 * A document that drifts from the code fails the build.
 */
class ArchitectureDocTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final List<String> MODULES = List.of("config", "migrations", "writeback", "proxy");

  /**
   * Classes of other libraries the document names, with where they live: each must load, so that a
   * name that exists nowhere cannot hide here.
   */
  private static final Map<String, String> LIBRARY_CLASSES =
      Map.ofEntries(
          Map.entry("DebugLib", "org.luaj.vm2.lib.DebugLib"),
          Map.entry("Globals", "org.luaj.vm2.Globals"),
          Map.entry("LuaString", "org.luaj.vm2.LuaString"),
          Map.entry("Prototype", "org.luaj.vm2.Prototype"),
          Map.entry("Error", "java.lang.Error"),
          Map.entry("ReentrantLock", "java.util.concurrent.locks.ReentrantLock"),
          Map.entry("FileChannel", "java.nio.channels.FileChannel"),
          Map.entry("HashMap", "java.util.HashMap"),
          Map.entry("HttpContent", "io.netty.handler.codec.http.HttpContent"),
          Map.entry("HttpObjectAggregator", "io.netty.handler.codec.http.HttpObjectAggregator"),
          Map.entry("HttpServerCodec", "io.netty.handler.codec.http.HttpServerCodec"),
          Map.entry("SslContext", "io.netty.handler.ssl.SslContext"),
          Map.entry("ByteBuf", "io.netty.buffer.ByteBuf"),
          Map.entry("ByteToMessageDecoder", "io.netty.handler.codec.ByteToMessageDecoder"),
          Map.entry("EmbeddedChannel", "io.netty.channel.embedded.EmbeddedChannel"),
          Map.entry(
              "PrometheusMeterRegistry",
              "io.micrometer.prometheusmetrics.PrometheusMeterRegistry"));

  /**
   * Threads of the table that the demo below cannot be made to run, and why: they exist only at the
   * JVM's exit, only while HikariCP opens connections, only while PostgreSQL is unreachable (the
   * probe, and the promotion retried in WriteBackOutageTest), or only while a background save
   * writes.
   */
  private static final Set<String> NOT_SEEN_HERE =
      Set.of(
          "sluice-shutdown",
          "sluice-postgres-probe-*",
          "sluice-promote",
          "sluice-bgsave",
          "sluice-postgres:connection-adder",
          "sluice-postgres:connection-closer");

  @TempDir static Path dir;

  private static String doc() {
    try {
      return Files.readString(ROOT.resolve("docs/ARCHITECTURE.md"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Path> mainSources() {
    return sources("main");
  }

  /** The Java files of every module's {@code src/<set>/java}. */
  private static List<Path> sources(String set) {
    List<Path> files = new ArrayList<>();
    for (String module : MODULES) {
      Path root = ROOT.resolve(module).resolve("src").resolve(set).resolve("java");
      if (!Files.isDirectory(root)) {
        continue;
      }
      try (Stream<Path> walk = Files.walk(root)) {
        walk.filter(p -> p.toString().endsWith(".java")).forEach(files::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return files;
  }

  @Test
  void packageTables_nameEveryPackageOfTheCodeAndNoOther() {
    Set<String> code = new TreeSet<>();
    for (Path file : mainSources()) {
      Path relative = ROOT.relativize(file.getParent());
      code.add(relative.subpath(4, relative.getNameCount()).toString().replace('/', '.'));
    }
    Set<String> documented = new TreeSet<>();
    Pattern pkg = Pattern.compile("`(dev\\.sluice(?:\\.[a-z]+)*)`");
    Pattern sub = Pattern.compile("`([a-z]+)`:");
    for (String line : doc().lines().filter(l -> l.startsWith("| ")).toList()) {
      String[] cells = line.split("\\|");
      String head = cells[1] + "|" + (cells.length > 2 ? cells[2] : "");
      Matcher m = pkg.matcher(head);
      while (m.find()) {
        documented.add(m.group(1));
        if (cells[1].contains("/`") && cells.length > 3) {
          // a module's row: its sub-packages are named as "`journal`: …" in the next cell
          Matcher s = sub.matcher(cells[3]);
          while (s.find()) {
            documented.add(m.group(1) + "." + s.group(1));
          }
        }
      }
    }
    assertEquals(code, documented, "packages in the code vs the tables of ARCHITECTURE.md");
  }

  @Test
  void classNames_everyClassTheDocumentNamesExists() {
    Set<String> code = new TreeSet<>();
    Pattern type = Pattern.compile("\\b(?:class|interface|record|enum) ([A-Z][A-Za-z0-9]*)");
    List<Path> files = new ArrayList<>(mainSources());
    files.addAll(sources("test")); // the document also names tests and their fixtures
    // and the JMH benchmarks, which are not a module of the server
    try (Stream<Path> walk = Files.walk(ROOT.resolve("bench/jmh/src/main/java"))) {
      walk.filter(p -> p.toString().endsWith(".java")).forEach(files::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (Path file : files) {
      try {
        Matcher m = type.matcher(Files.readString(file));
        while (m.find()) {
          code.add(m.group(1));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    for (String name : LIBRARY_CLASSES.keySet()) {
      try {
        Class.forName(LIBRARY_CLASSES.get(name), false, getClass().getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new AssertionError(name + " is listed as " + LIBRARY_CLASSES.get(name), e);
      }
    }
    // `Name` or `Name.member`, CamelCase: command names and error codes are all capitals
    Matcher m =
        Pattern.compile("`([A-Z][a-z][A-Za-z0-9]*)(?:\\.[A-Za-z_]+)*(?:\\(\\))?`").matcher(doc());
    Set<String> missing = new TreeSet<>();
    while (m.find()) {
      String name = m.group(1);
      if (!code.contains(name) && !LIBRARY_CLASSES.containsKey(name)) {
        missing.add(name);
      }
    }
    assertEquals(Set.of(), missing, "classes ARCHITECTURE.md names that the code does not have");
  }

  @Test
  void threadTable_namesEveryThreadTheDemoRunsAndNoOther() throws Exception {
    Set<String> documented = new TreeSet<>();
    String doc = doc();
    String table = doc.substring(doc.indexOf("## Threads"), doc.indexOf("## Execution model"));
    Matcher row = Pattern.compile("(?m)^\\| `([^`]+)`").matcher(table);
    while (row.find()) {
      if (row.group(1).startsWith("sluice-") || row.group(1).startsWith("bulkhead-sluice-")) {
        documented.add(row.group(1));
      }
    }
    assertTrue(documented.size() > 10, documented.toString());

    // the threads of other tests' servers in this JVM are theirs, not the demo's
    Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
    try (MappedTestServer demo =
        MappedTestServer.start(
            DemoConfiguration.yaml(),
            DemoConfiguration.schemaSql(),
            Map.of(
                "postgres.data-dir", dir.resolve("pg").toString(),
                "journal.dir", dir.resolve("journal").toString(),
                "http.port", "0"))) {
      try (Jedis jedis = demo.jedis()) {
        assertFalse(jedis.hgetAll("user:1").isEmpty()); // a miss: the load threads
        assertEquals(1L, jedis.eval("return 1")); // the script thread
        jedis.xadd(
            "ingest:page_views",
            redis.clients.jedis.StreamEntryID.NEW_ENTRY,
            Map.of("path", "/a", "user_id", "1"));
        assertTrue((Long) jedis.sendCommand(() -> "SLUICE".getBytes(), "FLUSH", "page_views") >= 1);
        jedis.sendCommand(() -> "SLUICE".getBytes(), "WARM", "products");
        jedis.set("plain", "1");
        int closedPort;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
          closedPort = free.getLocalPort();
        }
        // the migrate worker, which answers that nothing listens there
        assertEquals(
            "IOERR error or timeout writing to target instance",
            org.junit.jupiter.api.Assertions.assertThrows(
                    redis.clients.jedis.exceptions.JedisDataException.class,
                    () -> jedis.migrate("127.0.0.1", closedPort, "plain", 0, 1000))
                .getMessage());
      }
      HttpResponse<String> ingest =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://127.0.0.1:" + demo.httpPort() + "/v1/ingest/page_views"))
                      .header("Content-Type", "application/x-ndjson")
                      .POST(
                          HttpRequest.BodyPublishers.ofString("{\"user_id\":2,\"path\":\"/b\"}\n"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(202, ingest.statusCode(), ingest.body());

      Set<String> running =
          Thread.getAllStackTraces().keySet().stream()
              .filter(t -> !before.contains(t))
              .map(Thread::getName)
              .filter(n -> n.startsWith("sluice-") || n.startsWith("bulkhead-sluice-"))
              .collect(Collectors.toCollection(TreeSet::new));
      Set<String> undocumented = new TreeSet<>();
      Set<String> seen = new TreeSet<>();
      for (String thread : running) {
        // an exact name before a prefix, then the longest prefix (sluice-control-listen is not
        // one of the sluice-control-* pool's threads)
        String match =
            documented.stream()
                .filter(d -> matches(d, thread))
                .max(
                    java.util.Comparator.comparing((String d) -> !d.endsWith("-*"))
                        .thenComparing(String::length))
                .orElse(null);
        if (match == null) {
          undocumented.add(thread);
        } else {
          seen.add(match);
        }
      }
      assertEquals(Set.of(), undocumented, "threads running that the thread table does not name");
      Set<String> neverRan = new TreeSet<>(documented);
      neverRan.removeAll(seen);
      neverRan.removeAll(NOT_SEEN_HERE);
      assertEquals(
          Set.of(), neverRan, "threads the table names that the demo did not run; ran: " + running);
    }
  }

  /** `sluice-io-*` is a prefix (pool threads are numbered); any other name is exact. */
  private static boolean matches(String documented, String thread) {
    return documented.endsWith("-*")
        ? thread.startsWith(documented.substring(0, documented.length() - 1))
        : thread.equals(documented);
  }
}
