package dev.sluice.proxy.commands.geo;

/**
 * What a geo search looks in (Redis's GeoShape): a circle of {@code radius} or an axis-aligned box
 * of {@code width} by {@code height} around a centre, the sizes in the request's unit, {@code
 * toMeters} meters each. Distances are Redis's haversine (geohash_helper.c) on its sphere of radius
 * 6372797.560856 m; the trigonometry is {@link StrictMath}'s (fdlibm), whose results agree with
 * glibc's to the last bit in all but rare cases, and distances are shown to 4 decimals.
 */
record GeoShape(
    double longitude,
    double latitude,
    boolean box,
    double radius,
    double width,
    double height,
    double toMeters) {

  /** Earth's quadratic mean radius for WGS-84, Redis's EARTH_RADIUS_IN_METERS. */
  static final double EARTH_RADIUS_IN_METERS = 6372797.560856;

  /** Redis's D_R, M_PI / 180.0. */
  private static final double D_R = Math.PI / 180.0;

  static GeoShape circle(double longitude, double latitude, double radius, double toMeters) {
    return new GeoShape(longitude, latitude, false, radius, 0, 0, toMeters);
  }

  static GeoShape box(
      double longitude, double latitude, double width, double height, double toMeters) {
    return new GeoShape(longitude, latitude, true, 0, width, height, toMeters);
  }

  /** The same shape around another centre. */
  GeoShape at(double newLongitude, double newLatitude) {
    return new GeoShape(newLongitude, newLatitude, box, radius, width, height, toMeters);
  }

  /**
   * geoWithinShape: the distance in meters from the centre to the point, or NaN when the point is
   * outside the shape.
   */
  double distanceIfWithin(double pointLongitude, double pointLatitude) {
    if (!box) {
      double distance = distance(longitude, latitude, pointLongitude, pointLatitude);
      return distance > radius * toMeters ? Double.NaN : distance;
    }
    // geohashGetDistanceIfInRectangle: latitude first, as it is cheaper
    double widthMeters = width * toMeters;
    double heightMeters = height * toMeters;
    if (latDistance(pointLatitude, latitude) > heightMeters / 2) {
      return Double.NaN;
    }
    if (distance(pointLongitude, pointLatitude, longitude, pointLatitude) > widthMeters / 2) {
      return Double.NaN;
    }
    return distance(longitude, latitude, pointLongitude, pointLatitude);
  }

  /**
   * geohashBoundingBox: {minLong, minLat, maxLong, maxLat}. A box's width is widest on the side
   * nearer the equator, so the northern hemisphere takes the top edge's longitudes, the southern
   * the bottom's.
   */
  double[] boundingBox() {
    double h = toMeters * (box ? height / 2 : radius);
    double w = toMeters * (box ? width / 2 : radius);
    double latDelta = radToDeg(h / EARTH_RADIUS_IN_METERS);
    double longDeltaTop =
        radToDeg(w / EARTH_RADIUS_IN_METERS / StrictMath.cos(degToRad(latitude + latDelta)));
    double longDeltaBottom =
        radToDeg(w / EARTH_RADIUS_IN_METERS / StrictMath.cos(degToRad(latitude - latDelta)));
    boolean southern = latitude < 0;
    return new double[] {
      southern ? longitude - longDeltaBottom : longitude - longDeltaTop,
      latitude - latDelta,
      southern ? longitude + longDeltaBottom : longitude + longDeltaTop,
      latitude + latDelta
    };
  }

  /** The search radius in meters: the radius, or the half-diagonal of a box. */
  double radiusMeters() {
    double r = box ? Math.sqrt((width / 2) * (width / 2) + (height / 2) * (height / 2)) : radius;
    return r * toMeters;
  }

  /** geohashGetDistance: the haversine distance in meters. */
  static double distance(double lon1d, double lat1d, double lon2d, double lat2d) {
    double lon1r = degToRad(lon1d);
    double lon2r = degToRad(lon2d);
    double v = StrictMath.sin((lon2r - lon1r) / 2);
    // Redis's shortcut when the longitudes are the same: only the latitudes differ
    if (v == 0.0) {
      return latDistance(lat1d, lat2d);
    }
    double lat1r = degToRad(lat1d);
    double lat2r = degToRad(lat2d);
    double u = StrictMath.sin((lat2r - lat1r) / 2);
    double a = u * u + StrictMath.cos(lat1r) * StrictMath.cos(lat2r) * v * v;
    return 2.0 * EARTH_RADIUS_IN_METERS * StrictMath.asin(Math.sqrt(a));
  }

  /** geohashGetLatDistance. */
  static double latDistance(double lat1d, double lat2d) {
    return EARTH_RADIUS_IN_METERS * Math.abs(degToRad(lat2d) - degToRad(lat1d));
  }

  private static double degToRad(double angle) {
    return angle * D_R;
  }

  private static double radToDeg(double angle) {
    return angle / D_R;
  }
}
