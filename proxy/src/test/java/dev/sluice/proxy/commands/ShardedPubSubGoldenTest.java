package dev.sluice.proxy.commands;

import dev.sluice.proxy.testing.RecordedRepliesTest;

/**
 * SSUBSCRIBE, SUNSUBSCRIBE, SPUBLISH and PUBSUB SHARDCHANNELS|SHARDNUMSUB against redis-server's
 * replies ({@code golden/pubsub-sharded.json}, replayed as {@link RecordedRepliesTest} says): the
 * replies and counts on the subscribing connection, the subscribed context, MULTI and scripts.
 * Delivery to subscribers is {@code PubSubTest}'s.
 */
class ShardedPubSubGoldenTest extends RecordedRepliesTest {
  ShardedPubSubGoldenTest() {
    super("pubsub-sharded");
  }
}
