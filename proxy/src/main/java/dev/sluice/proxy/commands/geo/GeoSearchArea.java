package dev.sluice.proxy.commands.geo;

import java.util.ArrayList;
import java.util.List;

/**
 * The nine geohash cells Redis searches for a shape (geohashCalculateAreasByShapeWGS84 and
 * membersOfAllNeighbors), as score ranges in the order Redis visits them: the centre's cell, then
 * north, south, east, west, north-east, north-west, south-east, south-west. The order matters: a
 * search without sorting replies in it, and COUNT ... ANY stops in it.
 */
final class GeoSearchArea {
  private GeoSearchArea() {}

  /** Scores from {@code min} (included) to {@code max} (excluded): one cell. */
  record ScoreBox(double min, double max) {}

  /** MERCATOR_MAX of geohash_helper.c. */
  private static final double MERCATOR_MAX = 20037726.37;

  /** The cells to search, skipping those Redis skips. */
  static List<ScoreBox> boxes(GeoShape shape) {
    double[] bounds = shape.boundingBox();
    double minLon = bounds[0];
    double minLat = bounds[1];
    double maxLon = bounds[2];
    double maxLat = bounds[3];
    int steps = estimateSteps(shape.radiusMeters(), shape.latitude());
    long hash = GeoHash.encode(shape.longitude(), shape.latitude(), steps);
    long[] neighbors = GeoHash.neighbors(hash, steps);

    // near the edge of the covered area the estimated step can leave part of the shape out
    double[] north = GeoHash.decodeArea(neighbors[0], steps);
    double[] south = GeoHash.decodeArea(neighbors[1], steps);
    double[] east = GeoHash.decodeArea(neighbors[2], steps);
    double[] west = GeoHash.decodeArea(neighbors[3], steps);
    boolean decrease =
        north[3] < maxLat || south[2] > minLat || east[1] < maxLon || west[0] > minLon;
    if (steps > 1 && decrease) {
      steps--;
      hash = GeoHash.encode(shape.longitude(), shape.latitude(), steps);
      neighbors = GeoHash.neighbors(hash, steps);
    }
    double[] area = GeoHash.decodeArea(hash, steps);

    // the cells that cannot hold any point of the shape, as Redis's GZERO: {north, south, east,
    // west, north_east, north_west, south_east, south_west}
    boolean[] zero = new boolean[8];
    if (steps >= 2) {
      if (area[2] < minLat) {
        zero[1] = zero[7] = zero[6] = true;
      }
      if (area[3] > maxLat) {
        zero[0] = zero[4] = zero[5] = true;
      }
      if (area[0] < minLon) {
        zero[3] = zero[7] = zero[5] = true;
      }
      if (area[1] > maxLon) {
        zero[2] = zero[6] = zero[4] = true;
      }
    }

    List<ScoreBox> boxes = new ArrayList<>(9);
    boxes.add(box(hash, steps));
    // Redis compares a cell with the last one searched, but never with the centre (index 0): with
    // huge radii adjacent neighbours can be the same cell
    long lastBits = 0;
    boolean lastIsNeighbor = false;
    for (int i = 0; i < 8; i++) {
      if (zero[i]) {
        continue;
      }
      if (lastIsNeighbor && neighbors[i] == lastBits) {
        continue;
      }
      boxes.add(box(neighbors[i], steps));
      lastBits = neighbors[i];
      lastIsNeighbor = true;
    }
    return boxes;
  }

  /** scoresOfGeoHashBox. */
  private static ScoreBox box(long bits, int step) {
    return new ScoreBox(
        (double) GeoHash.align52(bits, step), (double) GeoHash.align52(bits + 1, step));
  }

  /** geohashEstimateStepsByRadius: the bits per axis of cells about the size of the search. */
  static int estimateSteps(double rangeMeters, double latitude) {
    if (rangeMeters == 0) {
      return 26;
    }
    int step = 1;
    while (rangeMeters < MERCATOR_MAX) {
      rangeMeters *= 2;
      step++;
    }
    step -= 2; // make sure the range is included in most of the base cases
    // wider cells towards the poles
    if (latitude > 66 || latitude < -66) {
      step--;
      if (latitude > 80 || latitude < -80) {
        step--;
      }
    }
    return Math.max(1, Math.min(26, step));
  }
}
