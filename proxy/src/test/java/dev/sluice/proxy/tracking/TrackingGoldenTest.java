package dev.sluice.proxy.tracking;

import dev.sluice.proxy.testing.RecordedRepliesTest;

/**
 * CLIENT TRACKING against redis-server's own replies and invalidation messages ({@code
 * golden/tracking.cases.json}, recorded by {@code tools/golden/record.sh tracking}): option errors,
 * TRACKINGINFO and GETREDIR, default mode, BCAST with prefixes, OPTIN/OPTOUT, NOLOOP, flushes,
 * MULTI and scripts, RESP2 redirection to a subscriber and RESP3 redirection, each message read on
 * the connection that receives it.
 */
class TrackingGoldenTest extends RecordedRepliesTest {
  TrackingGoldenTest() {
    super("tracking");
  }
}
