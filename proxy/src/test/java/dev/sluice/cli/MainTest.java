package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line only; every case here fails before a server would start. */
class MainTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine commandLine = Main.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  private static void assertContains(String text, String... parts) {
    for (String part : parts) {
      assertTrue(text.contains(part), () -> "expected '" + part + "' in: " + text);
    }
  }

  @Test
  void serve_badPortFlag_exitsTwoNamingPortAndValue() {
    int code = run("serve", "--port", "notaport");

    assertEquals(2, code);
    assertContains(
        err.toString(),
        "sluice: invalid value for 'port'",
        "--port",
        "'notaport'",
        "an integer between 0 and 65535");
  }

  @Test
  void serve_allInterfacesWithoutPassword_exitsTwoSayingHowToFixIt() {
    int code = run("serve", "--bind", "0.0.0.0", "--port", "0");

    assertEquals(2, code);
    assertContains(
        err.toString(),
        "sluice: protected mode: Sluice would listen on 0.0.0.0 (bind)",
        "no password is configured",
        "set requirepass",
        "bind 127.0.0.1",
        "protected-mode no");
  }

  @Test
  void configCheck_allInterfacesWithoutPassword_exitsTwo_withUsersPasses(@TempDir Path dir)
      throws IOException {
    Path open = dir.resolve("open.yaml");
    Files.writeString(open, "bind: 0.0.0.0\n");
    assertEquals(2, run("config", "check", open.toString()));
    assertContains(err.toString(), "protected mode", "protected-mode no");

    Path guarded = dir.resolve("guarded.yaml");
    Files.writeString(
        guarded, "bind: 0.0.0.0\nusers:\n  - {name: shop, password: \">pw\", role: app}\n");
    assertEquals(0, run("config", "check", guarded.toString()));
  }

  @Test
  void serve_badMemoryPolicyFlag_exitsTwoListingPolicies() {
    int code = run("serve", "--maxmemory-policy", "sometimes");

    assertEquals(2, code);
    assertContains(err.toString(), "'maxmemory-policy'", "'sometimes'", "allkeys-lru");
  }

  @Test
  void serve_missingConfigFile_exitsTwo() {
    int code = run("serve", "--config", "/nonexistent.yaml");

    assertEquals(2, code);
    assertContains(err.toString(), "/nonexistent.yaml", "does not exist");
  }

  @Test
  void serve_configFileWithBadValue_exitsTwoNamingFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "databases: 0\n");

    int code = run("serve", "-c", file.toString());

    assertEquals(2, code);
    assertContains(err.toString(), "'databases'", "'0'", file.toString());
  }

  @Test
  void serve_configFileWithUnknownKey_exitsTwo(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("unknown.yaml");
    Files.writeString(file, "postgres:\n  uri: x\n");

    int code = run("serve", "--config", file.toString());

    assertEquals(2, code);
    assertContains(err.toString(), "'postgres.uri'", "known keys");
  }

  @Test
  void serve_unknownFlag_exitsTwoWithUsage() {
    int code = run("serve", "--no-such-flag", "1");

    assertEquals(2, code);
    assertContains(err.toString(), "--no-such-flag");
  }

  @Test
  void version_printsSluiceAndRedisVersion() {
    int code = run("--version");

    assertEquals(0, code);
    assertContains(out.toString(), "sluice ", "redis_version 7.4.0");
  }

  @Test
  void serveHelp_listsOneFlagPerSetting() {
    int code = run("serve", "--help");

    assertEquals(0, code);
    assertContains(
        out.toString(),
        "--maxmemory-policy",
        "--maxmemory",
        "--port",
        "--bind",
        "--requirepass",
        "--config",
        "SLUICE_MAXMEMORY_POLICY",
        "Default: noeviction.");
  }

  @Test
  void help_listsServeAndMigrateSubcommands() {
    int code = run("--help");

    assertEquals(0, code);
    assertContains(out.toString(), "serve", "migrate");
  }
}
