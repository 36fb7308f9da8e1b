package dev.sluice.proxy.commands.sortedset;

/** How a range command reads its bounds: by rank, score or member, or as its options say. */
enum RangeType {
  AUTO,
  RANK,
  SCORE,
  LEX
}
