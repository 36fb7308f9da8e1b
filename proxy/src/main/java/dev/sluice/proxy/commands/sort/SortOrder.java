package dev.sluice.proxy.commands.sort;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Redis's sortCompare. Numeric: by score, equal scores by the elements' bytes, so the result does
 * not depend on the sort algorithm. ALPHA: by the BY values (a missing one first) or the elements
 * themselves, in byte order: strcoll in Redis's C locale is strcmp. DESC reverses the comparison.
 */
final class SortOrder implements Comparator<SortCommand.Item> {
  private final boolean alpha;
  private final boolean byPattern;
  private final boolean desc;

  SortOrder(boolean alpha, boolean byPattern, boolean desc) {
    this.alpha = alpha;
    this.byPattern = byPattern;
    this.desc = desc;
  }

  @Override
  public int compare(SortCommand.Item a, SortCommand.Item b) {
    int cmp;
    if (!alpha) {
      cmp = Double.compare(a.score, b.score);
      if (a.score == b.score) {
        cmp = Arrays.compareUnsigned(a.element, b.element);
      }
    } else if (byPattern) {
      if (a.byValue == null || b.byValue == null) {
        cmp = a.byValue == b.byValue ? 0 : a.byValue == null ? -1 : 1;
      } else {
        cmp = Arrays.compareUnsigned(a.byValue, b.byValue);
      }
    } else {
      cmp = Arrays.compareUnsigned(a.element, b.element);
    }
    return desc ? -Integer.signum(cmp) : cmp;
  }
}
