package dev.sluice.proxy.commands.generic;

import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.RedisError;
import java.nio.charset.StandardCharsets;

/**
 * MIGRATE's options after the timeout, parsed as migrateCommand parses them: COPY, REPLACE, AUTH
 * password, AUTH2 username password, and KEYS, which takes every argument after it. The credentials
 * are replaced by "(redacted)" in the arguments as they are read, as Redis redacts them, so that
 * SLOWLOG and MONITOR never show them.
 */
record MigrateOptions(
    boolean copy, boolean replace, byte[] username, byte[] password, int firstKey, int keyCount) {
  private static final byte[] REDACTED = "(redacted)".getBytes(StandardCharsets.US_ASCII);

  static MigrateOptions parse(CommandContext c) {
    boolean copy = false;
    boolean replace = false;
    byte[] username = null;
    byte[] password = null;
    int firstKey = 3;
    int keyCount = 1;
    byte[][] args = c.args();
    for (int j = 6; j < c.argc(); j++) {
      int more = c.argc() - 1 - j;
      if (c.is(j, "copy")) {
        copy = true;
      } else if (c.is(j, "replace")) {
        replace = true;
      } else if (c.is(j, "auth")) {
        if (more < 1) {
          throw new RedisError(Errors.SYNTAX);
        }
        password = redact(args, ++j);
      } else if (c.is(j, "auth2")) {
        if (more < 2) {
          throw new RedisError(Errors.SYNTAX);
        }
        username = redact(args, ++j);
        password = redact(args, ++j);
      } else if (c.is(j, "keys")) {
        if (c.arg(3).length != 0) {
          throw new RedisError(
              "ERR When using MIGRATE KEYS option, the key argument must be set to the empty"
                  + " string");
        }
        firstKey = j + 1;
        keyCount = c.argc() - j - 1;
        break;
      } else {
        throw new RedisError(Errors.SYNTAX);
      }
    }
    return new MigrateOptions(copy, replace, username, password, firstKey, keyCount);
  }

  private static byte[] redact(byte[][] args, int j) {
    byte[] secret = args[j];
    args[j] = REDACTED;
    return secret;
  }
}
