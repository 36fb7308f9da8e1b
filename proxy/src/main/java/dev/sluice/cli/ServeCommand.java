package dev.sluice.cli;

import dev.sluice.config.ConfigException;
import dev.sluice.config.DemoConfiguration;
import dev.sluice.config.MappingConfig;
import dev.sluice.config.Settings;
import dev.sluice.config.SluiceConfig;
import dev.sluice.proxy.SluiceServer;
import dev.sluice.proxy.keyspace.Clock;
import dev.sluice.proxy.net.ProtectedMode;
import dev.sluice.proxy.postgres.PostgresConnector;
import dev.sluice.proxy.postgres.PostgresException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice serve}: loads the configuration and runs the server until stopped. Every setting is
 * also a flag ({@code --maxmemory 100mb}); the flags are generated from {@link Settings} so the two
 * cannot drift apart.
 *
 * <p>Without {@code --config} it runs the demo ({@link DemoConfiguration}). When the configuration
 * has mappings, PostgreSQL is started or reached, migrated and checked before the RESP listener
 * opens; a configuration without mappings never touches PostgreSQL.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Starts Sluice and serves until stopped (Ctrl-C or SIGTERM).",
      "Without --config it runs the demo (config/examples/demo.yaml) on an embedded PostgreSQL."
    },
    footer = {
      "",
      "Every flag is also an environment variable: --maxmemory-policy is SLUICE_MAXMEMORY_POLICY.",
      "Precedence: flags, then environment, then the --config file, then defaults.",
      "Exit codes: 0 stopped, 1 could not start (port, PostgreSQL), 2 bad configuration."
    })
public final class ServeCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

  @Spec CommandSpec spec;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "YAML configuration file. Without it, the demo configuration.")
  Path configFile;

  /** Adds one option per setting to the serve command. */
  static CommandLine withSettingFlags(CommandLine serve) {
    return CommandConfig.withSettingFlags(serve, Settings.ALL);
  }

  /**
   * SIGHUP reads the TLS certificate, key and client CA again, as a certificate renewal (certbot,
   * cert-manager) expects. sun.misc.Signal is the JDK's only way to catch a signal; where it is
   * missing (not HotSpot, or no SIGHUP on the platform) CONFIG SET tls-cert-file does the same.
   */
  private static void reloadTlsOnSighup(SluiceServer server) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> server.reloadTls());
    } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
      log.warn("SIGHUP cannot be caught here ({}); reload TLS with CONFIG SET tls-cert-file", e);
    }
  }

  @Override
  public Integer call() throws Exception {
    SluiceConfig config;
    try {
      config = CommandConfig.load(configFile, CommandConfig.flags(spec, Settings.ALL));
      ProtectedMode.check(config); // before PostgreSQL starts
    } catch (ConfigException e) {
      spec.commandLine().getErr().println("sluice: " + e.getMessage());
      return 2;
    }
    boolean demo = configFile == null;
    if (demo) {
      log.info(
          "No --config given: running the demo, config/examples/demo.yaml (mappings {}), with"
              + " its tables from config/examples/demo-schema.sql",
          config.mappings().stream().map(MappingConfig::name).collect(Collectors.joining(", ")));
    }
    PostgresConnector postgres = null;
    if (config.usesPostgres()) {
      try {
        postgres = PostgresConnector.start(config, demo ? DemoConfiguration.schemaSql() : null);
      } catch (PostgresException e) {
        spec.commandLine().getErr().println("sluice: " + e.getMessage());
        return 1;
      }
    } else {
      log.info("No mappings configured: PostgreSQL is not used");
    }
    SluiceServer server;
    try {
      server = new SluiceServer(config, Clock.SYSTEM, postgres).start();
    } catch (IllegalStateException e) {
      spec.commandLine().getErr().println("sluice: " + e.getMessage());
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::exit, "sluice-shutdown"));
    reloadTlsOnSighup(server);
    server.awaitClose();
    return 0;
  }
}
