package dev.sluice.proxy.commands.geo;

import java.util.Comparator;

/**
 * Redis's pqsort.c (NetBSD's qsort, cut to sort only the part of the array that a range of
 * positions needs), step for step. A search with COUNT sorts only the first COUNT places this way;
 * the quicksort is not stable, so points at equal distances come out in the order this particular
 * algorithm leaves them, and only a faithful copy gives Redis's order. Positions are element
 * indices where the C code has byte pointers.
 */
final class PartialQuickSort {
  private PartialQuickSort() {}

  /** Sorts {@code a} enough that positions {@code left} to {@code right} hold what a sort would. */
  static <T> void sort(T[] a, Comparator<? super T> cmp, int left, int right) {
    sort(a, 0, a.length, cmp, left, right);
  }

  private static <T> void sort(
      T[] a, int base, int n, Comparator<? super T> cmp, int left, int right) {
    while (true) {
      if (n < 7) {
        for (int pm = base + 1; pm < base + n; pm++) {
          for (int pl = pm; pl > base && cmp.compare(a[pl - 1], a[pl]) > 0; pl--) {
            swap(a, pl, pl - 1);
          }
        }
        return;
      }
      int pm = base + n / 2;
      if (n > 7) {
        int pl = base;
        int pn = base + n - 1;
        if (n > 40) {
          int d = n / 8;
          pl = med3(a, pl, pl + d, pl + 2 * d, cmp);
          pm = med3(a, pm - d, pm, pm + d, cmp);
          pn = med3(a, pn - 2 * d, pn - d, pn, cmp);
        }
        pm = med3(a, pl, pm, pn, cmp);
      }
      swap(a, base, pm);
      int pa = base + 1;
      int pb = pa;
      int pc = base + n - 1;
      int pd = pc;
      while (true) {
        int c;
        while (pb <= pc && (c = cmp.compare(a[pb], a[base])) <= 0) {
          if (c == 0) {
            swap(a, pa, pb);
            pa++;
          }
          pb++;
        }
        while (pb <= pc && (c = cmp.compare(a[pc], a[base])) >= 0) {
          if (c == 0) {
            swap(a, pc, pd);
            pd--;
          }
          pc--;
        }
        if (pb > pc) {
          break;
        }
        swap(a, pb, pc);
        pb++;
        pc--;
      }
      int pn = base + n;
      int r = Math.min(pa - base, pb - pa);
      vecswap(a, base, pb - r, r);
      r = Math.min(pd - pc, pn - pd - 1);
      vecswap(a, pb, pn - r, r);
      if ((r = pb - pa) > 1 && overlaps(base, base + r - 1, left, right)) {
        sort(a, base, r, cmp, left, right);
      }
      if ((r = pd - pc) > 1) {
        // iterate rather than recurse, as the C code does
        base = pn - r;
        n = r;
        if (overlaps(base, base + r - 1, left, right)) {
          continue;
        }
      }
      return;
    }
  }

  /** Whether the sub-array [lo, hi] holds part of the wanted range (pqsort's range test). */
  private static boolean overlaps(int lo, int hi, int left, int right) {
    return !((left < lo && right < lo) || (left > hi && right > hi));
  }

  private static <T> int med3(T[] a, int x, int y, int z, Comparator<? super T> cmp) {
    return cmp.compare(a[x], a[y]) < 0
        ? (cmp.compare(a[y], a[z]) < 0 ? y : (cmp.compare(a[x], a[z]) < 0 ? z : x))
        : (cmp.compare(a[y], a[z]) > 0 ? y : (cmp.compare(a[x], a[z]) < 0 ? x : z));
  }

  private static <T> void swap(T[] a, int i, int j) {
    T t = a[i];
    a[i] = a[j];
    a[j] = t;
  }

  /** vecswap: swaps the {@code count} elements from {@code i} with those from {@code j}. */
  private static <T> void vecswap(T[] a, int i, int j, int count) {
    for (int k = 0; k < count; k++) {
      swap(a, i + k, j + k);
    }
  }
}
