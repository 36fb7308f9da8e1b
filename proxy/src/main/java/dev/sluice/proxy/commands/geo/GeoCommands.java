package dev.sluice.proxy.commands.geo;

import static dev.sluice.proxy.engine.CommandFlag.DENYOOM;
import static dev.sluice.proxy.engine.CommandFlag.READONLY;
import static dev.sluice.proxy.engine.CommandFlag.WRITE;
import static dev.sluice.proxy.engine.CommandSpec.command;

import dev.sluice.proxy.commands.Values;
import dev.sluice.proxy.commands.geo.GeoSearchRequest.Variant;
import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.CommandHandler;
import dev.sluice.proxy.engine.CommandSpec;
import dev.sluice.proxy.engine.CommandTable;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.KeySpec;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.keyspace.Database;
import dev.sluice.proxy.keyspace.Entry;
import dev.sluice.proxy.keyspace.NotifyFlags;
import dev.sluice.proxy.resp.Reply;
import dev.sluice.proxy.types.RedisZSet;

/**
 * The geo commands of Redis 7.4 (geo.c). A geo key is a sorted set whose scores are geohashes
 * ({@link GeoHash}); these commands read and write it through {@link RedisZSet} directly, as geo.c
 * reaches into t_zset.c, and share nothing with the sorted-set family's code.
 */
public final class GeoCommands {
  private GeoCommands() {}

  private static final String RADIUS_COMPLEXITY =
      "O(N+log(M)) where N is the number of elements inside the bounding box of the circular area"
          + " delimited by center and radius and M is the number of items inside the index.";
  private static final String SEARCH_COMPLEXITY =
      "O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around"
          + " the shape provided as the filter and M is the number of items inside the shape";

  public static void register(CommandTable t) {
    t.register(
        geo(command("geoadd", -5, GeoCommands::geoadd))
            .flags(WRITE, DENYOOM)
            .keys(KeySpec.key(1, "RW update"))
            .doc(
                "Adds one or more members to a geospatial index. The key is created if it doesn't"
                    + " exist.",
                "3.2.0",
                "O(log(N)) for each item added, where N is the number of elements in the sorted"
                    + " set."));
    t.register(
        reader("geodist", -4, GeoCommands::geodist)
            .doc(
                "Returns the distance between two members of a geospatial index.",
                "3.2.0",
                "O(1)"));
    t.register(
        reader("geohash", -2, GeoCommands::geohash)
            .doc(
                "Returns members from a geospatial index as geohash strings.",
                "3.2.0",
                "O(1) for each member requested."));
    t.register(
        reader("geopos", -2, GeoCommands::geopos)
            .doc(
                "Returns the longitude and latitude of members from a geospatial index.",
                "3.2.0",
                "O(1) for each member requested."));
    t.register(
        search("georadius", -6, Variant.GEORADIUS)
            .doc(
                "Queries a geospatial index for members within a distance from a coordinate,"
                    + " optionally stores the result.",
                "3.2.0",
                RADIUS_COMPLEXITY));
    t.register(
        search("georadius_ro", -6, Variant.GEORADIUS_RO)
            .doc(
                "Returns members from a geospatial index that are within a distance from a"
                    + " coordinate.",
                "3.2.10",
                RADIUS_COMPLEXITY));
    t.register(
        search("georadiusbymember", -5, Variant.GEORADIUSBYMEMBER)
            .doc(
                "Queries a geospatial index for members within a distance from a member,"
                    + " optionally stores the result.",
                "3.2.0",
                RADIUS_COMPLEXITY));
    t.register(
        search("georadiusbymember_ro", -5, Variant.GEORADIUSBYMEMBER_RO)
            .doc(
                "Returns members from a geospatial index that are within a distance from a"
                    + " member.",
                "3.2.10",
                RADIUS_COMPLEXITY));
    t.register(
        search("geosearch", -7, Variant.GEOSEARCH)
            .doc(
                "Queries a geospatial index for members inside an area of a box or a circle.",
                "6.2.0",
                SEARCH_COMPLEXITY));
    t.register(
        search("geosearchstore", -8, Variant.GEOSEARCHSTORE)
            .doc(
                "Queries a geospatial index for members inside an area of a box or a circle,"
                    + " optionally stores the result.",
                "6.2.0",
                SEARCH_COMPLEXITY));
  }

  /** The family's group and ACL category (CommandSpec knows no "geo" group of its own). */
  private static CommandSpec.Builder geo(CommandSpec.Builder builder) {
    return builder.group("geo").categories("@geo");
  }

  /** A read-only command of the one key at 1. */
  private static CommandSpec.Builder reader(String name, int arity, CommandHandler handler) {
    return geo(command(name, arity, handler)).flags(READONLY).keys(KeySpec.key(1, "RO access"));
  }

  /**
   * A search command: GEORADIUS and GEORADIUSBYMEMBER may store after STORE or STOREDIST past their
   * fixed arguments, GEOSEARCHSTORE stores at 1 what it reads at 2, the others only read.
   */
  private static CommandSpec.Builder search(String name, int arity, Variant variant) {
    CommandSpec.Builder builder = geo(command(name, arity, c -> GeoSearch.run(c, variant)));
    if (variant == Variant.GEOSEARCHSTORE) {
      return builder
          .flags(WRITE, DENYOOM)
          .keys(KeySpec.key(1, "OW update"), KeySpec.key(2, "RO access"));
    }
    if (variant.noStore) {
      return builder.flags(READONLY).keys(KeySpec.key(1, "RO access"));
    }
    return builder
        .flags(WRITE, DENYOOM)
        .keys(
            KeySpec.key(1, "RO access"),
            KeySpec.keyword("STORE", variant.baseArgs, 0, 1, 0, "OW update"),
            KeySpec.keyword("STOREDIST", variant.baseArgs, 0, 1, 0, "OW update"));
  }

  /**
   * GEOADD key [NX|XX] [CH] longitude latitude member [...]: Redis checks the options and every
   * pair first, then runs ZADD with the geohashes as scores, so the event is "zadd" and a wrong
   * type is found only after the coordinates.
   */
  private static void geoadd(CommandContext c) {
    boolean nx = false;
    boolean xx = false;
    boolean ch = false;
    int first = 2;
    for (; first < c.argc(); first++) {
      if (c.is(first, "nx")) {
        nx = true;
      } else if (c.is(first, "xx")) {
        xx = true;
      } else if (c.is(first, "ch")) {
        ch = true;
      } else {
        break;
      }
    }
    int elements = (c.argc() - first) / 3;
    if ((c.argc() - first) % 3 != 0 || (xx && nx) || elements == 0) {
      throw new RedisError(Errors.SYNTAX);
    }
    double[] scores = new double[elements];
    for (int i = 0; i < elements; i++) {
      int at = first + 3 * i;
      double[] xy = GeoSearchRequest.longLat(c.arg(at), c.arg(at + 1));
      scores[i] = GeoHash.score(xy[0], xy[1]);
    }
    Database db = c.db();
    byte[] key = c.arg(1);
    Entry entry = db.write(key);
    RedisZSet zset = Values.as(entry, RedisZSet.class);
    if (zset == null) {
      if (xx) {
        c.reply().integer(0);
        return;
      }
      zset = RedisZSet.withHint(elements, c.arg(first + 2).length);
    } else {
      zset.sizeHint(elements);
    }
    int added = 0;
    int updated = 0;
    for (int i = 0; i < elements; i++) {
      byte[] member = c.arg(first + 3 * i + 2);
      RedisZSet.Node node = zset.find(member);
      if (node != null) {
        if (!nx && node.score() != scores[i]) {
          zset.setScore(node, scores[i]);
          updated++;
        }
      } else if (!xx) {
        zset.add(member, scores[i]);
        added++;
      }
    }
    if (added + updated > 0) {
      if (entry == null) {
        db.insert(key, zset);
      } else {
        db.changed(entry);
      }
      c.dirty(added + updated);
      c.notify(NotifyFlags.ZSET, "zadd", key);
      if (c.propagating()) {
        c.effects().replicateAs(asZadd(c, first, scores));
      }
    }
    c.reply().integer(ch ? added + updated : added);
  }

  private static final byte[] ZADD = {'z', 'a', 'd', 'd'};

  /**
   * GEOADD as Redis hands it to ZADD, and so to replicas: "zadd" (Redis's own lower-case argument),
   * the key and options as sent, each geohash as an integer and its member.
   */
  private static byte[][] asZadd(CommandContext c, int first, double[] scores) {
    byte[][] zadd = new byte[first + 2 * scores.length][];
    zadd[0] = ZADD;
    for (int i = 1; i < first; i++) {
      zadd[i] = c.arg(i);
    }
    for (int i = 0; i < scores.length; i++) {
      zadd[first + 2 * i] =
          Long.toString((long) scores[i]).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      zadd[first + 2 * i + 1] = c.arg(first + 3 * i + 2);
    }
    return zadd;
  }

  /** GEODIST key member1 member2 [unit]: the unit is checked before the key is looked up. */
  private static void geodist(CommandContext c) {
    double toMeters = 1;
    if (c.argc() == 5) {
      toMeters = GeoSearchRequest.unit(c.arg(4));
    } else if (c.argc() > 5) {
      throw new RedisError(Errors.SYNTAX);
    }
    RedisZSet zset = Values.as(c.db().read(c.arg(1)), RedisZSet.class);
    RedisZSet.Node a = zset == null ? null : zset.find(c.arg(2));
    RedisZSet.Node b = zset == null ? null : zset.find(c.arg(3));
    if (a == null || b == null) {
      c.reply().nil();
      return;
    }
    double[] from = GeoHash.decode(a.score());
    double[] to = GeoHash.decode(b.score());
    c.reply()
        .bulk(GeoNumbers.distance(GeoShape.distance(from[0], from[1], to[0], to[1]) / toMeters));
  }

  /** GEOHASH key [member ...]: 11 standard geohash characters, or nil, per member. */
  private static void geohash(CommandContext c) {
    RedisZSet zset = Values.as(c.db().read(c.arg(1)), RedisZSet.class);
    Reply reply = c.reply();
    reply.array(c.argc() - 2);
    for (int i = 2; i < c.argc(); i++) {
      RedisZSet.Node node = zset == null ? null : zset.find(c.arg(i));
      if (node == null) {
        reply.nil();
      } else {
        reply.bulk(GeoHash.standardGeohash(node.score()));
      }
    }
  }

  /** GEOPOS key [member ...]: longitude and latitude, or a nil array, per member. */
  private static void geopos(CommandContext c) {
    RedisZSet zset = Values.as(c.db().read(c.arg(1)), RedisZSet.class);
    Reply reply = c.reply();
    reply.array(c.argc() - 2);
    for (int i = 2; i < c.argc(); i++) {
      RedisZSet.Node node = zset == null ? null : zset.find(c.arg(i));
      if (node == null) {
        reply.nilArray();
      } else {
        double[] xy = GeoHash.decode(node.score());
        reply.array(2);
        GeoSearch.coordinate(reply, xy[0]);
        GeoSearch.coordinate(reply, xy[1]);
      }
    }
  }
}
