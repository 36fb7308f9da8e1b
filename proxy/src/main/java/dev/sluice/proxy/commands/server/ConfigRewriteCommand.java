package dev.sluice.proxy.commands.server;

import static dev.sluice.proxy.engine.CommandFlag.ADMIN;
import static dev.sluice.proxy.engine.CommandFlag.LOADING;
import static dev.sluice.proxy.engine.CommandFlag.NOSCRIPT;
import static dev.sluice.proxy.engine.CommandFlag.STALE;
import static dev.sluice.proxy.engine.CommandSpec.command;

import dev.sluice.config.ConfigException;
import dev.sluice.config.ConfigFileRewriter;
import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.CommandSpec;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.runtime.ConfigParameters;
import dev.sluice.proxy.runtime.ServerContext;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CONFIG REWRITE: writes the settings CONFIG SET changed into the YAML file {@code sluice serve
 * --config} read, where they differ from the file's ({@link ConfigFileRewriter}: every other line
 * and comment kept, atomic replace). As in Redis it runs synchronously (the file is small) and
 * answers {@code ERR The server is running without a config file} without one, {@code ERR Rewriting
 * config file: <reason>} when writing fails; Sluice adds the file's structure as a reason.
 */
final class ConfigRewriteCommand {
  private static final Logger log = LoggerFactory.getLogger(ConfigRewriteCommand.class);

  private ConfigRewriteCommand() {}

  static CommandSpec.Builder spec(ServerContext server) {
    return command("rewrite", 2, c -> rewrite(server.parameters(), c))
        .flags(ADMIN, NOSCRIPT, LOADING, STALE)
        .doc("Rewrite the configuration file with the in memory configuration", "2.8.0", "O(1)");
  }

  private static void rewrite(ConfigParameters parameters, CommandContext c) {
    Path file =
        parameters
            .file()
            .orElseThrow(() -> new RedisError("ERR The server is running without a config file"));
    List<String> written;
    try {
      written = ConfigFileRewriter.rewriteFile(file, parameters.setAtRuntime(), System.getenv());
    } catch (IOException e) {
      log.warn("CONFIG REWRITE failed: {}", reason(e));
      throw new RedisError("ERR Rewriting config file: " + reason(e));
    } catch (ConfigException e) {
      log.warn("CONFIG REWRITE failed: {}", e.getMessage());
      throw new RedisError("ERR Rewriting config file: " + e.getMessage());
    }
    log.warn("CONFIG REWRITE executed with success: {} in {}", written, file);
    c.reply().simple("OK");
  }

  /** strerror's words for what Java reports as exceptions, as Redis's reply carries them. */
  private static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "Permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "No such file or directory";
    }
    if (e instanceof FileSystemException fs && fs.getReason() != null) {
      return fs.getReason();
    }
    return e.getMessage() != null ? e.getMessage() : e.toString();
  }
}
