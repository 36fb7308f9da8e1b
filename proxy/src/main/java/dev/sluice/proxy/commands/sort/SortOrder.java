package dev.sluice.proxy.commands.sort;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Redis's sortCompare. Numeric: by score, equal scores by the elements' bytes, so the result does
 * not depend on the sort algorithm. ALPHA: by the BY values (a missing one first) or the elements
 * themselves; with STORE in byte order (compareStringObjects), without it as strcoll compares C
 * strings: byte order up to the first NUL, so "a\0b" ties with "a" and keeps its place (glibc's
 * qsort is a stable merge sort, as List.sort is). DESC reverses the comparison.
 */
final class SortOrder implements Comparator<SortCommand.Item> {
  private final boolean alpha;
  private final boolean byPattern;
  private final boolean desc;
  private final boolean store;

  SortOrder(boolean alpha, boolean byPattern, boolean desc, boolean store) {
    this.alpha = alpha;
    this.byPattern = byPattern;
    this.desc = desc;
    this.store = store;
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
        cmp = alphaCompare(a.byValue, b.byValue);
      }
    } else {
      cmp = alphaCompare(a.element, b.element);
    }
    return desc ? -Integer.signum(cmp) : cmp;
  }

  private int alphaCompare(byte[] a, byte[] b) {
    return store ? Arrays.compareUnsigned(a, b) : strcoll(a, b);
  }

  /** strcmp: unsigned bytes up to the first NUL, the end of a value counting as one. */
  private static int strcoll(byte[] a, byte[] b) {
    for (int i = 0; ; i++) {
      int x = i < a.length ? a[i] & 0xff : 0;
      int y = i < b.length ? b[i] & 0xff : 0;
      if (x != y || x == 0) {
        return x - y;
      }
    }
  }
}
