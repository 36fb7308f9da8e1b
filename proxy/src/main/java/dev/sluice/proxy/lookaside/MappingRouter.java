package dev.sluice.proxy.lookaside;

import dev.sluice.config.MappingConfig;
import java.util.List;

/**
 * Finds the mapping a key belongs to: the first mapping, in file order, whose key template matches
 * it. Every kind of mapping takes part, so a key claimed by an earlier kv or append mapping is not
 * read through by a later row mapping.
 *
 * <p>Fast and allocation-free for plain keys: a table of the first bytes of every mapping's literal
 * prefix rejects most keys with one array read; then each candidate's prefix is compared before its
 * template is walked ({@link dev.sluice.config.KeyTemplate#matches} allocates nothing).
 */
public final class MappingRouter {
  private final MappingConfig[] mappings;
  private final byte[][] prefixes;
  private final boolean[] firstBytes = new boolean[256];
  private final boolean anyFirstByte;

  public MappingRouter(List<MappingConfig> mappings) {
    this.mappings = mappings.toArray(MappingConfig[]::new);
    this.prefixes = new byte[this.mappings.length][];
    boolean any = false;
    for (int i = 0; i < this.mappings.length; i++) {
      prefixes[i] = this.mappings[i].keys().literalPrefix();
      if (prefixes[i].length == 0) {
        any = true;
      } else {
        firstBytes[prefixes[i][0] & 0xff] = true;
      }
    }
    this.anyFirstByte = any;
  }

  /** The index (in file order) of the mapping of {@code key}, or -1 for a plain key. */
  public int indexOf(byte[] key) {
    if (key.length == 0 || (!anyFirstByte && !firstBytes[key[0] & 0xff])) {
      return -1;
    }
    for (int i = 0; i < mappings.length; i++) {
      byte[] prefix = prefixes[i];
      if (key.length < prefix.length || !startsWith(key, prefix)) {
        continue;
      }
      if (mappings[i].keys().matches(key)) {
        return i;
      }
    }
    return -1;
  }

  /** The mapping of {@code key}, or null for a plain key. */
  public MappingConfig route(byte[] key) {
    int index = indexOf(key);
    return index < 0 ? null : mappings[index];
  }

  /** The mappings in file order. */
  public List<MappingConfig> mappings() {
    return List.of(mappings);
  }

  public MappingConfig mapping(int index) {
    return mappings[index];
  }

  private static boolean startsWith(byte[] key, byte[] prefix) {
    for (int i = 0; i < prefix.length; i++) {
      if (key[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
