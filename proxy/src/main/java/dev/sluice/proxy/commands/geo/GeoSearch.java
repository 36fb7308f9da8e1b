package dev.sluice.proxy.commands.geo;

import dev.sluice.proxy.commands.Values;
import dev.sluice.proxy.commands.geo.GeoSearchArea.ScoreBox;
import dev.sluice.proxy.commands.geo.GeoSearchRequest.Variant;
import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.keyspace.NotifyFlags;
import dev.sluice.proxy.resp.Reply;
import dev.sluice.proxy.types.RedisZSet;
import dev.sluice.proxy.types.ScoreRange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The search behind GEORADIUS, GEORADIUSBYMEMBER, GEOSEARCH and GEOSEARCHSTORE (georadiusGeneric's
 * second half): the points of the nine cells that lie in the shape, in the order Redis finds them,
 * then sorted, cut to COUNT, and replied or stored.
 */
final class GeoSearch {
  private GeoSearch() {}

  /** A point found: geoPoint. {@code distance} is in meters until the reply converts it. */
  private record Point(
      byte[] member, double longitude, double latitude, double distance, double score) {}

  static void run(CommandContext c, Variant variant) {
    int sourceIndex = variant == Variant.GEOSEARCHSTORE ? 2 : 1;
    RedisZSet zset = Values.as(c.db().read(c.arg(sourceIndex)), RedisZSet.class);
    GeoSearchRequest request = GeoSearchRequest.parse(c, variant, zset);
    if (zset == null) {
      if (request.storeKey != null) {
        deleteStoreKey(c, request.storeKey);
        c.reply().integer(0);
      } else {
        c.reply().array(0);
      }
      return;
    }
    // COUNT without an order would be any COUNT points: Redis sorts them, unless ANY says so
    if (request.count != 0 && request.sort == GeoSearchRequest.SORT_NONE && !request.any) {
      request.sort = GeoSearchRequest.SORT_ASC;
    }
    List<Point> points = find(zset, request.shape, request.any ? request.count : 0);
    if (points.isEmpty() && request.storeKey == null) {
      c.reply().array(0);
      return;
    }
    int returned =
        request.count == 0 || points.size() < request.count ? points.size() : (int) request.count;
    if (request.sort != GeoSearchRequest.SORT_NONE) {
      sort(points, request.sort == GeoSearchRequest.SORT_ASC ? ASCENDING : DESCENDING, returned);
    }
    double toMeters = request.shape.toMeters();
    if (request.storeKey == null) {
      reply(c.reply(), request, points.subList(0, returned), toMeters);
    } else {
      store(c, request, points.subList(0, returned), toMeters, variant.search);
    }
  }

  /**
   * sort_gp_asc: by distance, equal distances equal (so -0.0 and 0.0 too, unlike Double.compare).
   */
  private static final Comparator<Point> ASCENDING =
      (a, b) -> a.distance() > b.distance() ? 1 : a.distance() == b.distance() ? 0 : -1;

  /** sort_gp_desc. */
  private static final Comparator<Point> DESCENDING = (a, b) -> -ASCENDING.compare(a, b);

  /**
   * Redis sorts all the points with qsort, which is glibc's merge sort and so stable: equal
   * distances stay in the order found. With COUNT below their number it sorts only the first COUNT
   * places with its own unstable pqsort, whose order of equal distances only a copy reproduces.
   */
  private static void sort(List<Point> points, Comparator<Point> order, int returned) {
    if (returned == points.size()) {
      points.sort(order);
      return;
    }
    Point[] array = points.toArray(new Point[0]);
    PartialQuickSort.sort(array, order, 0, returned - 1);
    points.clear();
    points.addAll(java.util.Arrays.asList(array));
  }

  /** membersOfAllNeighbors: every point of the cells inside the shape, up to {@code limit}. */
  private static List<Point> find(RedisZSet zset, GeoShape shape, long limit) {
    List<Point> points = new ArrayList<>();
    for (ScoreBox box : GeoSearchArea.boxes(shape)) {
      if (limit != 0 && points.size() >= limit) {
        break;
      }
      // min <= score < max, as zslParseRange with maxex
      ScoreRange range = new ScoreRange(box.min(), false, box.max(), true);
      long rank = zset.countBefore(range);
      for (RedisZSet.Node node = zset.byRank(rank);
          node != null && range.lteMax(node.score());
          node = node.next()) {
        double[] xy = GeoHash.decode(node.score());
        double distance = shape.distanceIfWithin(xy[0], xy[1]);
        if (!Double.isNaN(distance)) {
          points.add(new Point(node.member(), xy[0], xy[1], distance, node.score()));
        }
        if (limit != 0 && points.size() >= limit) {
          break;
        }
      }
    }
    return points;
  }

  private static void reply(Reply reply, GeoSearchRequest r, List<Point> points, double toMeters) {
    int options = (r.withDist ? 1 : 0) + (r.withHash ? 1 : 0) + (r.withCoord ? 1 : 0);
    reply.array(points.size());
    for (Point p : points) {
      if (options > 0) {
        reply.array(options + 1);
      }
      reply.bulk(p.member());
      if (r.withDist) {
        reply.bulk(GeoNumbers.distance(p.distance() / toMeters));
      }
      if (r.withHash) {
        reply.integer((long) p.score());
      }
      if (r.withCoord) {
        reply.array(2);
        coordinate(reply, p.longitude());
        coordinate(reply, p.latitude());
      }
    }
  }

  /** addReplyHumanLongDouble: 17 decimals, trailing zeros cut, as a double (bulk in RESP2). */
  static void coordinate(Reply reply, double value) {
    reply.doubleValue(value, GeoNumbers.human(value));
  }

  /** STORE/STOREDIST: the destination holds the points (hash or distance as score), or goes. */
  private static void store(
      CommandContext c, GeoSearchRequest r, List<Point> points, double toMeters, boolean search) {
    if (points.isEmpty()) {
      deleteStoreKey(c, r.storeKey);
      c.reply().integer(0);
      return;
    }
    int longest = 0;
    for (Point p : points) {
      longest = Math.max(longest, p.member().length);
    }
    RedisZSet result = RedisZSet.withHint(points.size(), longest);
    for (Point p : points) {
      result.add(p.member(), r.storeDist ? p.distance() / toMeters : p.score());
    }
    c.db().set(r.storeKey, result, false);
    c.notify(NotifyFlags.ZSET, search ? "geosearchstore" : "georadiusstore", r.storeKey);
    c.dirty(points.size());
    c.reply().integer(points.size());
  }

  private static void deleteStoreKey(CommandContext c, byte[] key) {
    if (c.db().delete(key)) {
      c.notify(NotifyFlags.GENERIC, "del", key);
      c.dirty(1);
    }
  }
}
