package dev.sluice.proxy.engine;

import java.util.Arrays;

/**
 * The keys of one invocation, as {@link CommandSpec#keys} finds them: each key's argument index and
 * its {@link KeyFlag} bits, in the order Redis's COMMAND GETKEYS lists them.
 */
public final class FoundKeys {
  private int[] positions;
  private int[] flags;
  private int count;

  FoundKeys(int capacity) {
    this.positions = new int[Math.max(capacity, 1)];
    this.flags = new int[positions.length];
  }

  void add(int position, int keyFlags) {
    if (count == positions.length) {
      positions = Arrays.copyOf(positions, count * 2);
      flags = Arrays.copyOf(flags, count * 2);
    }
    positions[count] = position;
    flags[count] = keyFlags;
    count++;
  }

  void clear() {
    count = 0;
  }

  public int count() {
    return count;
  }

  public boolean isEmpty() {
    return count == 0;
  }

  /** The argument index of the i-th key. */
  public int position(int i) {
    return positions[i];
  }

  /** The {@link KeyFlag} bits of the i-th key (0 when its command's key procedure gives none). */
  public int flags(int i) {
    return flags[i];
  }

  /** The argument indexes, in order. */
  public int[] positions() {
    return Arrays.copyOf(positions, count);
  }
}
