package dev.sluice.proxy.engine;

import java.nio.charset.StandardCharsets;

/** Redis's error texts, word for word, so clients and their tests recognise them. */
public final class Errors {
  /** Prefix of the error a writer gets when the journal's budget is used up. */
  public static final String JOURNAL_FULL = "OOM ";

  private Errors() {}

  public static final String SYNTAX = "ERR syntax error";
  public static final String NOT_INTEGER = "ERR value is not an integer or out of range";
  public static final String NOT_FLOAT = "ERR value is not a valid float";
  public static final String OVERFLOW = "ERR increment or decrement would overflow";
  public static final String WRONGTYPE =
      "WRONGTYPE Operation against a key holding the wrong kind of value";
  public static final String NO_SUCH_KEY = "ERR no such key";
  public static final String DB_OUT_OF_RANGE = "ERR DB index is out of range";
  public static final String SAME_OBJECT = "ERR source and destination objects are the same";
  public static final String NOAUTH = "NOAUTH Authentication required.";
  public static final String WRONGPASS =
      "WRONGPASS invalid username-password pair or user is disabled.";
  public static final String READONLY = "READONLY You can't write against a read only replica.";
  public static final String MASTERDOWN =
      "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.";
  public static final String NOREPLICAS = "NOREPLICAS Not enough good replicas to write.";
  public static final String OOM = "OOM command not allowed when used memory > 'maxmemory'.";
  public static final String NAN_OR_INFINITY = "ERR increment would produce NaN or Infinity";
  public static final String STRING_TOO_LONG =
      "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
  public static final String OFFSET_OUT_OF_RANGE = "ERR offset is out of range";
  public static final String INVALID_CURSOR = "ERR invalid cursor";
  public static final String MAX_CLIENTS = "ERR max number of clients reached";

  /** Redis 7.2+'s wording; the command is its full name ("config|set"). */
  public static String noPermission(String user, String fullName) {
    return "NOPERM User " + user + " has no permissions to run the '" + fullName + "' command";
  }

  public static RedisError wrongArity(String fullName) {
    return new RedisError("ERR wrong number of arguments for '" + fullName + "' command");
  }

  public static RedisError invalidExpireTime(String command) {
    return new RedisError("ERR invalid expire time in '" + command + "' command");
  }

  /** Redis quotes the command and then as many arguments as fit in about 128 characters. */
  public static String unknownCommand(byte[][] args) {
    StringBuilder quoted = new StringBuilder();
    for (int i = 1; i < args.length && quoted.length() < 128; i++) {
      String arg = text(args[i]);
      int room = 128 - quoted.length();
      quoted.append('\'').append(arg, 0, Math.min(arg.length(), room)).append("' ");
    }
    String name = text(args[0]);
    return "ERR unknown command '"
        + name.substring(0, Math.min(name.length(), 128))
        + "', with args beginning with: "
        + quoted;
  }

  public static String unknownSubcommand(String subcommand, String container) {
    return "ERR unknown subcommand '"
        + subcommand.substring(0, Math.min(subcommand.length(), 128))
        + "'. Try "
        + container.toUpperCase(java.util.Locale.ROOT)
        + " HELP.";
  }

  /**
   * A subcommand that checks its own arguments, refused as Redis's addReplySubcommandSyntaxError
   * words it, naming the subcommand as the client typed it.
   */
  public static RedisError subcommandSyntax(byte[] subcommand, String container) {
    String typed = text(subcommand);
    return new RedisError(
        "ERR unknown subcommand or wrong number of arguments for '"
            + typed.substring(0, Math.min(typed.length(), 128))
            + "'. Try "
            + container.toUpperCase(java.util.Locale.ROOT)
            + " HELP.");
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** An error reply ("ERR …") for work that failed: the cause's message, unwrapped. */
  public static String of(Throwable error) {
    while (error instanceof java.util.concurrent.CompletionException && error.getCause() != null) {
      error = error.getCause();
    }
    String message = error.getMessage();
    if (message == null) {
      return "ERR " + error;
    }
    return message.startsWith("ERR ") ? message : "ERR " + message;
  }
}
