package dev.sluice.proxy.commands;

import dev.sluice.proxy.testing.RecordedRepliesTest;

/**
 * CONFIG REWRITE against redis-server's replies ({@code golden/config-rewrite.json}): a server
 * started without a configuration file refuses it with Redis's error, and its arity. Rewriting a
 * file is {@code ConfigRewriteTest}'s.
 */
class ConfigRewriteGoldenTest extends RecordedRepliesTest {
  ConfigRewriteGoldenTest() {
    super("config-rewrite");
  }
}
