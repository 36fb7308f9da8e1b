package dev.sluice.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  private Path yaml(String text) throws IOException {
    Path file = dir.resolve("sluice.yaml");
    Files.writeString(file, text);
    return file;
  }

  private static ConfigException refused(Runnable load) {
    return assertThrows(ConfigException.class, load::run);
  }

  private static void assertContains(String message, String... parts) {
    for (String part : parts) {
      assertTrue(message.contains(part), () -> "expected '" + part + "' in: " + message);
    }
  }

  @Test
  void load_nothingGiven_usesDefaults() {
    SluiceConfig config = new ConfigLoader(Map.of()).load(null, Map.of());

    assertEquals(6379, config.port());
    assertEquals(16, config.databases());
    assertEquals(List.of("127.0.0.1"), config.bind());
    assertEquals(0L, config.get(Settings.MAXMEMORY));
    assertEquals("noeviction", config.get(Settings.MAXMEMORY_POLICY));
    assertEquals("", config.get(Settings.REQUIREPASS));
    assertEquals("default", config.sourceOf(Settings.PORT));
  }

  @Test
  void load_yamlFile_setsValuesAndRecordsSource() throws IOException {
    Path file =
        yaml(
            """
            port: 7000
            databases: 4
            maxmemory: 100mb
            maxmemory-policy: allkeys-lru
            requirepass: "s3cret"
            hz: 20
            """);

    SluiceConfig config = new ConfigLoader(Map.of()).load(file, Map.of());

    assertEquals(7000, config.port());
    assertEquals(4, config.databases());
    assertEquals(104_857_600L, config.get(Settings.MAXMEMORY));
    assertEquals("allkeys-lru", config.get(Settings.MAXMEMORY_POLICY));
    assertEquals("s3cret", config.get(Settings.REQUIREPASS));
    assertEquals(20, config.get(Settings.HZ));
    assertEquals("configuration file " + file, config.sourceOf(Settings.PORT));
    assertEquals("default", config.sourceOf(Settings.TIMEOUT));
  }

  @Test
  void load_emptyFile_usesDefaults() throws IOException {
    SluiceConfig config = new ConfigLoader(Map.of()).load(yaml(""), Map.of());

    assertEquals(6379, config.port());
  }

  @Test
  void load_environment_overridesFile() throws IOException {
    Path file = yaml("port: 7000\nmaxmemory-policy: allkeys-lru\n");
    Map<String, String> env =
        Map.of("SLUICE_PORT", "7001", "SLUICE_MAXMEMORY_POLICY", "volatile-ttl");

    SluiceConfig config = new ConfigLoader(env).load(file, Map.of());

    assertEquals(7001, config.port());
    assertEquals("volatile-ttl", config.get(Settings.MAXMEMORY_POLICY));
    assertEquals("environment variable SLUICE_PORT", config.sourceOf(Settings.PORT));
  }

  @Test
  void load_flags_overrideEnvironmentAndFile() throws IOException {
    Path file = yaml("port: 7000\nmaxmemory: 1mb\n");
    Map<String, String> env = Map.of("SLUICE_PORT", "7001", "SLUICE_MAXMEMORY", "2mb");

    SluiceConfig config = new ConfigLoader(env).load(file, Map.of("port", "7002"));

    assertEquals(7002, config.port());
    assertEquals("command-line flag --port", config.sourceOf(Settings.PORT));
    assertEquals(2L * 1024 * 1024, config.get(Settings.MAXMEMORY));
    assertEquals("environment variable SLUICE_MAXMEMORY", config.sourceOf(Settings.MAXMEMORY));
  }

  @Test
  void load_unrelatedEnvironmentVariables_areIgnored() {
    Map<String, String> env = Map.of("PORT", "1", "SLUICE_NOSUCH", "x", "HOME", "/root");

    SluiceConfig config = new ConfigLoader(env).load(null, Map.of());

    assertEquals(6379, config.port());
  }

  @Test
  void envName_isUpperSnakeCaseWithPrefix() {
    assertEquals("SLUICE_MAXMEMORY_POLICY", Settings.MAXMEMORY_POLICY.envName());
    assertEquals("SLUICE_PROTO_MAX_BULK_LEN", Settings.PROTO_MAX_BULK_LEN.envName());
    assertEquals("--maxmemory-policy", Settings.MAXMEMORY_POLICY.flagName());
  }

  @Test
  void load_unknownKeyInFile_namesKeyAndListsKnownKeys() throws IOException {
    Path file = yaml("port: 7000\nmaxmemroy: 1mb\n");

    ConfigException e = refused(() -> new ConfigLoader(Map.of()).load(file, Map.of()));

    assertContains(
        e.getMessage(),
        "unknown configuration key 'maxmemroy'",
        file.toString(),
        "known keys: bind, port, databases",
        "maxmemory-policy");
  }

  @Test
  void load_nestedUnknownSection_isRefusedWithDottedKey() throws IOException {
    Path file = yaml("postgres:\n  uri: x\n");

    ConfigException e = refused(() -> new ConfigLoader(Map.of()).load(file, Map.of()));

    assertContains(e.getMessage(), "'postgres.uri'", "known keys:", "postgres.url");
  }

  @Test
  void load_unknownFlag_isRefusedNamingCommandLine() {
    ConfigException e = refused(() -> new ConfigLoader(Map.of()).load(null, Map.of("nosuch", "1")));

    assertContains(e.getMessage(), "'nosuch'", "command line", "known keys:");
  }

  @Test
  void load_portOutOfRangeInFile_namesKeyValueExpectationAndFile() throws IOException {
    Path file = yaml("port: 70000\n");

    ConfigException e = refused(() -> new ConfigLoader(Map.of()).load(file, Map.of()));

    assertEquals(
        "invalid value for 'port' in configuration file "
            + file
            + ": got '70000', expected an integer between 0 and 65535",
        e.getMessage());
  }

  @Test
  void load_memoryWithoutNumberInFile_isRefused() throws IOException {
    Path file = yaml("maxmemory: lots\n");

    ConfigException e = refused(() -> new ConfigLoader(Map.of()).load(file, Map.of()));

    assertContains(
        e.getMessage(), "'maxmemory'", "'lots'", "expected a byte count", file.toString());
  }

  @Test
  void load_unknownPolicyInFile_listsPolicies() throws IOException {
    Path file = yaml("maxmemory-policy: sometimes\n");

    ConfigException e = refused(() -> new ConfigLoader(Map.of()).load(file, Map.of()));

    assertContains(
        e.getMessage(),
        "'maxmemory-policy'",
        "'sometimes'",
        "expected one of noeviction, allkeys-lru",
        "volatile-ttl",
        file.toString());
  }

  @Test
  void load_zeroDatabasesInFile_isRefused() throws IOException {
    Path file = yaml("databases: 0\n");

    ConfigException e = refused(() -> new ConfigLoader(Map.of()).load(file, Map.of()));

    assertContains(
        e.getMessage(), "'databases'", "'0'", "an integer between 1 and 10000", file.toString());
  }

  @Test
  void load_badEnvironmentValue_namesVariable() {
    ConfigLoader loader = new ConfigLoader(Map.of("SLUICE_PORT", "abc"));

    ConfigException e = refused(() -> loader.load(null, Map.of()));

    assertEquals(
        "invalid value for 'port' in environment variable SLUICE_PORT: got 'abc', expected an"
            + " integer between 0 and 65535",
        e.getMessage());
  }

  @Test
  void load_badFlagValue_namesFlag() {
    ConfigException e =
        refused(() -> new ConfigLoader(Map.of()).load(null, Map.of("maxmemory", "lots")));

    assertContains(e.getMessage(), "'maxmemory'", "command-line flag --maxmemory", "got 'lots'");
  }

  @Test
  void load_emptyValueInFile_isRefused() throws IOException {
    Path file = yaml("port:\n");

    ConfigException e = refused(() -> new ConfigLoader(Map.of()).load(file, Map.of()));

    assertContains(e.getMessage(), "'port'", "empty value", file.toString());
  }

  @Test
  void load_missingFile_saysItDoesNotExist() {
    Path file = dir.resolve("missing.yaml");

    ConfigException e = refused(() -> new ConfigLoader(Map.of()).load(file, Map.of()));

    assertEquals("configuration file " + file + " does not exist", e.getMessage());
  }

  @Test
  void load_invalidYaml_isRefused() throws IOException {
    Path file = yaml("port: [7000\n");

    ConfigException e = refused(() -> new ConfigLoader(Map.of()).load(file, Map.of()));

    assertContains(e.getMessage(), file.toString(), "is not valid YAML");
  }

  @Test
  void load_topLevelListInFile_isRefused() throws IOException {
    Path file = yaml("- port\n- 7000\n");

    ConfigException e = refused(() -> new ConfigLoader(Map.of()).load(file, Map.of()));

    assertContains(e.getMessage(), "must hold a mapping of keys to values");
  }

  @Test
  void load_environmentReference_isSubstituted() throws IOException {
    Path file = yaml("port: ${REDIS_PORT}\nrequirepass: \"pre-${PASS}-post\"\n");
    Map<String, String> env = Map.of("REDIS_PORT", "7005", "PASS", "abc");

    SluiceConfig config = new ConfigLoader(env).load(file, Map.of());

    assertEquals(7005, config.port());
    assertEquals("pre-abc-post", config.get(Settings.REQUIREPASS));
  }

  @Test
  void load_environmentReferenceWithDefault_usesDefaultWhenUnset() throws IOException {
    Path file = yaml("port: ${REDIS_PORT:-7010}\nmaxmemory: ${MEM:-2mb}\n");

    SluiceConfig config = new ConfigLoader(Map.of("MEM", "1kb")).load(file, Map.of());

    assertEquals(7010, config.port());
    assertEquals(1024L, config.get(Settings.MAXMEMORY));
  }

  @Test
  void load_environmentReferenceWithEmptyDefault_isEmpty() throws IOException {
    Path file = yaml("requirepass: \"${PASS:-}\"\n");

    SluiceConfig config = new ConfigLoader(Map.of()).load(file, Map.of());

    assertEquals("", config.get(Settings.REQUIREPASS));
  }

  @Test
  void load_missingEnvironmentReference_namesKeyAndVariable() throws IOException {
    Path file = yaml("requirepass: ${SLUICE_TEST_PASSWORD}\n");

    ConfigException e = refused(() -> new ConfigLoader(Map.of()).load(file, Map.of()));

    assertEquals(
        "configuration key 'requirepass' refers to ${SLUICE_TEST_PASSWORD}, but that environment"
            + " variable is not set and has no default",
        e.getMessage());
  }

  @Test
  void load_substitutedValue_isStillValidated() throws IOException {
    Path file = yaml("port: ${REDIS_PORT}\n");

    ConfigException e =
        refused(() -> new ConfigLoader(Map.of("REDIS_PORT", "99999")).load(file, Map.of()));

    assertContains(e.getMessage(), "'port'", "got '99999'");
  }

  @Test
  void load_memoryUnits_followRedisConf() throws IOException {
    assertEquals(1024L, memoryFrom("1kb"));
    assertEquals(1000L, memoryFrom("1k"));
    assertEquals(104_857_600L, memoryFrom("100mb"));
    assertEquals(1_073_741_824L, memoryFrom("1gb"));
    assertEquals(1_000_000_000L, memoryFrom("1g"));
    assertEquals(12345L, memoryFrom("12345"));
  }

  private long memoryFrom(String raw) throws IOException {
    return new ConfigLoader(Map.of())
        .load(yaml("maxmemory: " + raw + "\n"), Map.of())
        .get(Settings.MAXMEMORY);
  }

  @Test
  void load_bindAsYamlList_isList() throws IOException {
    Path file = yaml("bind:\n  - 127.0.0.1\n  - \"::1\"\n");

    SluiceConfig config = new ConfigLoader(Map.of()).load(file, Map.of());

    assertEquals(List.of("127.0.0.1", "::1"), config.bind());
  }

  @Test
  void load_bindAsSpaceSeparatedText_isList() throws IOException {
    Path file = yaml("bind: 127.0.0.1 10.0.0.1\n");

    SluiceConfig config = new ConfigLoader(Map.of()).load(file, Map.of());

    assertEquals(List.of("127.0.0.1", "10.0.0.1"), config.bind());
  }

  @Test
  void load_bindFromEnvironmentAndFlag_isList() {
    SluiceConfig fromEnv =
        new ConfigLoader(Map.of("SLUICE_BIND", "0.0.0.0 ::")).load(null, Map.of());
    SluiceConfig fromFlag =
        new ConfigLoader(Map.of()).load(null, Map.of("bind", "10.1.1.1,10.1.1.2"));

    assertEquals(List.of("0.0.0.0", "::"), fromEnv.bind());
    assertEquals(List.of("10.1.1.1", "10.1.1.2"), fromFlag.bind());
  }

  @Test
  void load_environmentReferenceInsideList_isSubstituted() throws IOException {
    Path file = yaml("bind: [\"${HOST_A}\", \"${HOST_B:-::1}\"]\n");

    SluiceConfig config = new ConfigLoader(Map.of("HOST_A", "10.0.0.7")).load(file, Map.of());

    assertEquals(List.of("10.0.0.7", "::1"), config.bind());
  }

  @Test
  void load_listOfMappingsForBind_isRefused() throws IOException {
    Path file = yaml("bind:\n  - host: 127.0.0.1\n");

    ConfigException e = refused(() -> new ConfigLoader(Map.of()).load(file, Map.of()));

    assertContains(e.getMessage(), "'bind'", "expected a list of plain values");
  }
}
