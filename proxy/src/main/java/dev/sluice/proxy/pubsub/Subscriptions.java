package dev.sluice.proxy.pubsub;

import dev.sluice.proxy.keyspace.BytesKey;
import java.util.LinkedHashSet;
import java.util.Set;

/** The channels and patterns one client subscribed to; guarded by the keyspace lock. */
public final class Subscriptions {
  public final Set<BytesKey> channels = new LinkedHashSet<>();
  public final Set<BytesKey> patterns = new LinkedHashSet<>();

  /** Channels plus patterns, the count Redis reports in (un)subscribe replies. */
  public int count() {
    return channels.size() + patterns.size();
  }
}
