package dev.sluice.proxy.commands.geo;

import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.Numbers;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.types.RedisZSet;

/**
 * One GEORADIUS, GEORADIUSBYMEMBER (and _RO), GEOSEARCH or GEOSEARCHSTORE, its arguments read as
 * georadiusGeneric reads them: in one pass, each error the moment its argument is reached, so a
 * request with several faults gets Redis's error for the first. The centre given by a member is
 * looked up while parsing, as Redis does, and not at all when the key is missing.
 */
final class GeoSearchRequest {
  /** Which command: what its fixed arguments are and which options it takes. */
  enum Variant {
    GEORADIUS(6, false, false),
    GEORADIUS_RO(6, false, true),
    GEORADIUSBYMEMBER(5, false, false),
    GEORADIUSBYMEMBER_RO(5, false, true),
    GEOSEARCH(2, true, true),
    GEOSEARCHSTORE(3, true, false);

    final int baseArgs;
    final boolean search;
    final boolean noStore;

    Variant(int baseArgs, boolean search, boolean noStore) {
      this.baseArgs = baseArgs;
      this.search = search;
      this.noStore = noStore;
    }

    boolean byMember() {
      return this == GEORADIUSBYMEMBER || this == GEORADIUSBYMEMBER_RO;
    }

    boolean byCoordinates() {
      return this == GEORADIUS || this == GEORADIUS_RO;
    }
  }

  static final int SORT_NONE = 0;
  static final int SORT_ASC = 1;
  static final int SORT_DESC = 2;

  static final String UNDECODABLE_MEMBER = "ERR could not decode requested zset member";

  final Variant variant;
  byte[] storeKey;
  boolean storeDist;
  boolean withDist;
  boolean withHash;
  boolean withCoord;
  boolean any;
  int sort = SORT_NONE;
  long count;

  /** The search shape; null when the key is missing and no shape was needed. */
  GeoShape shape;

  private double longitude;
  private double latitude;
  private double radius;
  private double width;
  private double height;
  private double toMeters;
  private boolean byBox;

  private GeoSearchRequest(Variant variant) {
    this.variant = variant;
  }

  /** Parses the request; {@code zset} is the source (null when missing), already type-checked. */
  static GeoSearchRequest parse(CommandContext c, Variant variant, RedisZSet zset) {
    GeoSearchRequest r = new GeoSearchRequest(variant);
    r.read(c, zset);
    return r;
  }

  private void read(CommandContext c, RedisZSet zset) {
    boolean fixedShape = false;
    if (variant.byCoordinates()) {
      longLat(c, 2);
      distance(c, 4);
      fixedShape = true;
    } else if (variant.byMember() && zset != null) {
      memberCentre(zset, c.arg(2));
      distance(c, 3);
      fixedShape = true;
    } else if (variant == Variant.GEOSEARCHSTORE) {
      storeKey = c.arg(1);
    }
    boolean fromMember = false;
    boolean fromLonLat = false;
    boolean byRadius = false;
    int base = variant.baseArgs;
    int remaining = c.argc() - base;
    for (int i = 0; i < remaining; i++) {
      int at = base + i;
      if (c.is(at, "withdist")) {
        withDist = true;
      } else if (c.is(at, "withhash")) {
        withHash = true;
      } else if (c.is(at, "withcoord")) {
        withCoord = true;
      } else if (c.is(at, "any")) {
        any = true;
      } else if (c.is(at, "asc")) {
        sort = SORT_ASC;
      } else if (c.is(at, "desc")) {
        sort = SORT_DESC;
      } else if (c.is(at, "count") && i + 1 < remaining) {
        count = Numbers.parseLong(c.arg(at + 1), Errors.NOT_INTEGER);
        if (count <= 0) {
          throw new RedisError("ERR COUNT must be > 0");
        }
        i++;
      } else if ((c.is(at, "store") || c.is(at, "storedist"))
          && i + 1 < remaining
          && !variant.noStore
          && !variant.search) {
        storeKey = c.arg(at + 1);
        storeDist = c.is(at, "storedist");
        i++;
      } else if (c.is(at, "storedist") && variant == Variant.GEOSEARCHSTORE) {
        storeDist = true;
      } else if (c.is(at, "frommember") && i + 1 < remaining && variant.search && !fromLonLat) {
        if (zset != null) {
          memberCentre(zset, c.arg(at + 1));
        }
        fromMember = true;
        i++;
      } else if (c.is(at, "fromlonlat") && i + 2 < remaining && variant.search && !fromMember) {
        longLat(c, at + 1);
        fromLonLat = true;
        i += 2;
      } else if (c.is(at, "byradius") && i + 2 < remaining && variant.search && !byBox) {
        distance(c, at + 1);
        byRadius = true;
        i += 2;
      } else if (c.is(at, "bybox") && i + 3 < remaining && variant.search && !byRadius) {
        box(c, at + 1);
        byBox = true;
        i += 3;
      } else {
        throw new RedisError(Errors.SYNTAX);
      }
    }
    if (storeKey != null && (withDist || withHash || withCoord)) {
      throw new RedisError(
          "ERR "
              + (variant == Variant.GEOSEARCHSTORE ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS")
              + " is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
    }
    if (variant.search && !(fromMember || fromLonLat)) {
      throw new RedisError(
          "ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for " + c.text(0));
    }
    if (variant.search && !(byRadius || byBox)) {
      throw new RedisError(
          "ERR exactly one of BYRADIUS and BYBOX can be specified for " + c.text(0));
    }
    if (any && count == 0) {
      throw new RedisError("ERR the ANY argument requires COUNT argument");
    }
    if (fixedShape || variant.search) {
      shape =
          byBox
              ? GeoShape.box(longitude, latitude, width, height, toMeters)
              : GeoShape.circle(longitude, latitude, radius, toMeters);
    }
  }

  /** extractLongLatOrReply: the pair at {@code at} and {@code at + 1}, checked. */
  private void longLat(CommandContext c, int at) {
    double[] xy = longLat(c.arg(at), c.arg(at + 1));
    longitude = xy[0];
    latitude = xy[1];
  }

  static double[] longLat(byte[] longitudeText, byte[] latitudeText) {
    double lon = GeoNumbers.parse(longitudeText, Errors.NOT_FLOAT);
    double lat = GeoNumbers.parse(latitudeText, Errors.NOT_FLOAT);
    if (!GeoHash.validLongLat(lon, lat)) {
      throw new RedisError(
          "ERR invalid longitude,latitude pair "
              + GeoNumbers.fixed6(lon)
              + ","
              + GeoNumbers.fixed6(lat));
    }
    return new double[] {lon, lat};
  }

  /** longLatFromMember: the centre is a member's position. */
  private void memberCentre(RedisZSet zset, byte[] member) {
    RedisZSet.Node node = zset.find(member);
    if (node == null) {
      throw new RedisError(UNDECODABLE_MEMBER);
    }
    double[] xy = GeoHash.decode(node.score());
    longitude = xy[0];
    latitude = xy[1];
  }

  /** extractDistanceOrReply: radius and unit. */
  private void distance(CommandContext c, int at) {
    radius = GeoNumbers.parse(c.arg(at), "ERR need numeric radius");
    if (radius < 0) {
      throw new RedisError("ERR radius cannot be negative");
    }
    toMeters = unit(c.arg(at + 1));
  }

  /** extractBoxOrReply: width, height and unit. */
  private void box(CommandContext c, int at) {
    width = GeoNumbers.parse(c.arg(at), "ERR need numeric width");
    height = GeoNumbers.parse(c.arg(at + 1), "ERR need numeric height");
    if (height < 0 || width < 0) {
      throw new RedisError("ERR height or width cannot be negative");
    }
    toMeters = unit(c.arg(at + 2));
  }

  /** extractUnitOrReply: meters per unit. */
  static double unit(byte[] unit) {
    String u = new String(unit, java.nio.charset.StandardCharsets.ISO_8859_1);
    if (u.equalsIgnoreCase("m")) {
      return 1;
    } else if (u.equalsIgnoreCase("km")) {
      return 1000;
    } else if (u.equalsIgnoreCase("ft")) {
      return 0.3048;
    } else if (u.equalsIgnoreCase("mi")) {
      return 1609.34;
    }
    throw new RedisError("ERR unsupported unit provided. please use M, KM, FT, MI");
  }
}
