package dev.sluice.proxy.engine;

/** Runs one command under the keyspace lock and writes its reply, or throws {@link RedisError}. */
@FunctionalInterface
public interface CommandHandler {
  void handle(CommandContext c);
}
