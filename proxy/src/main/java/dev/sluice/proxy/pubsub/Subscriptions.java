package dev.sluice.proxy.pubsub;

import dev.sluice.proxy.keyspace.BytesKey;
import java.util.LinkedHashSet;
import java.util.Set;

/** The channels, patterns and shard channels one client subscribed to; under the keyspace lock. */
public final class Subscriptions {
  public final Set<BytesKey> channels = new LinkedHashSet<>();
  public final Set<BytesKey> patterns = new LinkedHashSet<>();

  /** SSUBSCRIBE's channels: a namespace of their own, as in Redis 7. */
  public final Set<BytesKey> shardChannels = new LinkedHashSet<>();

  /** Channels plus patterns, the count Redis reports in (P)(UN)SUBSCRIBE replies. */
  public int count() {
    return channels.size() + patterns.size();
  }

  /** Shard channels, the count Redis reports in S(UN)SUBSCRIBE replies. */
  public int shardCount() {
    return shardChannels.size();
  }

  /**
   * Every subscription: while it is above zero a RESP2 client is in the subscribed context, as
   * Redis's CLIENT_PUBSUB flag.
   */
  public int total() {
    return count() + shardCount();
  }
}
