package dev.sluice.proxy.keyspace;

import java.util.Locale;

/** Redis's maxmemory-policy values. */
public enum EvictionPolicy {
  NOEVICTION(false, false),
  ALLKEYS_LRU(true, false),
  ALLKEYS_LFU(true, false),
  ALLKEYS_RANDOM(true, false),
  VOLATILE_LRU(false, true),
  VOLATILE_LFU(false, true),
  VOLATILE_RANDOM(false, true),
  VOLATILE_TTL(false, true);

  private final boolean allKeys;
  private final boolean volatileKeys;

  EvictionPolicy(boolean allKeys, boolean volatileKeys) {
    this.allKeys = allKeys;
    this.volatileKeys = volatileKeys;
  }

  public static EvictionPolicy fromConfig(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
  }

  public String configName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  boolean evicts() {
    return allKeys || volatileKeys;
  }

  boolean onlyVolatile() {
    return volatileKeys;
  }

  boolean lfu() {
    return this == ALLKEYS_LFU || this == VOLATILE_LFU;
  }
}
