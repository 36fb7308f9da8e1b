package dev.sluice.proxy.types;

/**
 * A score interval as ZRANGEBYSCORE takes it: each end inclusive or exclusive ("(1.5"), possibly
 * infinite. An interval with min above max, or a single point with an exclusive end, holds nothing.
 */
public record ScoreRange(double min, boolean minExclusive, double max, boolean maxExclusive) {

  /** Whether {@code score} is not below the start of the interval. */
  public boolean gteMin(double score) {
    return minExclusive ? score > min : score >= min;
  }

  /** Whether {@code score} is not beyond the end of the interval. */
  public boolean lteMax(double score) {
    return maxExclusive ? score < max : score <= max;
  }
}
