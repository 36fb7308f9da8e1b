package dev.sluice.proxy.command;

import dev.sluice.proxy.keyspace.BytesKey;
import java.util.LinkedHashSet;
import java.util.Set;

/** The channels and patterns one client subscribed to; guarded by the keyspace lock. */
public final class Subscriptions {
  final Set<BytesKey> channels = new LinkedHashSet<>();
  final Set<BytesKey> patterns = new LinkedHashSet<>();

  /** Channels plus patterns, the count Redis reports in (un)subscribe replies. */
  public int count() {
    return channels.size() + patterns.size();
  }
}
