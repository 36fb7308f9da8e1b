package dev.sluice.proxy.commands;

import dev.sluice.proxy.testing.RecordedRepliesTest;

/**
 * CLIENT subcommands against redis-server's replies ({@code golden/client.json}, replayed as {@link
 * RecordedRepliesTest} says): CLIENT PAUSE's and UNPAUSE's arguments and errors. What a pause holds
 * is {@code ClientPauseCommandsTest}'s.
 */
class ClientCommandsGoldenTest extends RecordedRepliesTest {
  ClientCommandsGoldenTest() {
    super("client");
  }
}
