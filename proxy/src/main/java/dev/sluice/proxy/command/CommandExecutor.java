package dev.sluice.proxy.command;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one request: finds the command, checks arity, authentication and memory, then calls the
 * handler. The caller holds the keyspace lock. Checks run in Redis's order, so a client that sends
 * a wrong command while unauthenticated gets the same error as from Redis.
 */
public final class CommandExecutor {
  private static final Logger log = LoggerFactory.getLogger(CommandExecutor.class);

  private final ServerContext server;
  private final CommandTable table;

  public CommandExecutor(ServerContext server) {
    this.server = server;
    this.table = server.commands();
  }

  public void execute(CommandContext c, byte[][] args) {
    CommandSpec spec = table.lookup(args[0]);
    Session session = c.session();
    try {
      if (spec == null) {
        throw new RedisError(Errors.unknownCommand(args));
      }
      if (!spec.arityAccepts(args.length)) {
        throw Errors.wrongArity(spec.fullName());
      }
      if (spec.isContainer() && args.length > 1) {
        String name = new String(args[1], StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
        CommandSpec sub = spec.subcommands().get(name);
        if (sub == null) {
          throw new RedisError(
              Errors.unknownSubcommand(new String(args[1], StandardCharsets.UTF_8), spec.name()));
        }
        if (!sub.arityAccepts(args.length)) {
          throw Errors.wrongArity(sub.fullName());
        }
        spec = sub;
      }
      // As in Redis, CLIENT LIST and CLIENT INFO show the running command as the client's cmd.
      session.interacted(System.currentTimeMillis(), spec.fullName());
      if (!session.authenticated() && !spec.noAuth() && !server.requirepass().isEmpty()) {
        throw new RedisError(Errors.NOAUTH);
      }
      if (!server.keyspace().freeMemoryIfNeeded() && spec.denyOom()) {
        throw new RedisError(Errors.OOM);
      }
      c.bind(args, spec);
      spec.handler().handle(c);
    } catch (RedisError e) {
      server.stats().errorReplies.increment();
      c.reply().error(e.getMessage());
    } catch (RuntimeException e) {
      // A bug, not a refusal: the client gets an error and the connection stays usable.
      String name = spec == null ? "?" : spec.fullName();
      log.error("command {} failed", name, e);
      server.stats().errorReplies.increment();
      c.reply().error("ERR internal error while running '" + name + "': " + e);
    }
    server.stats().commandsProcessed.increment();
  }
}
