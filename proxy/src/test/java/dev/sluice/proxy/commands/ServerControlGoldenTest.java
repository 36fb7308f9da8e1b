package dev.sluice.proxy.commands;

import dev.sluice.proxy.testing.RecordedRepliesTest;

/** ACL LOAD/SAVE and SHUTDOWN's argument errors, as redis-server answers them. */
class ServerControlGoldenTest extends RecordedRepliesTest {
  ServerControlGoldenTest() {
    super("server-control");
  }
}
