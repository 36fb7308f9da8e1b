package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.testing.BothProtocols;
import dev.sluice.proxy.testing.RespSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.GeoCoordinate;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.args.GeoUnit;
import redis.clients.jedis.params.GeoAddParams;
import redis.clients.jedis.params.GeoRadiusParam;
import redis.clients.jedis.params.GeoRadiusStoreParam;
import redis.clients.jedis.params.GeoSearchParam;
import redis.clients.jedis.resps.GeoRadiusResponse;

/**
 * The geo commands through Jedis 5 (RESP2 and RESP3), and their keyspace notifications over a raw
 * subscriber. The exact replies are {@link GeoGoldenTest}'s; this checks that a real client's
 * requests and parsing work, in both protocols.
 */
class GeoCommandsTest extends JedisServerTest {
  private static final double PALERMO_LON = 13.361389;
  private static final double PALERMO_LAT = 38.115556;

  private static void sicily(Jedis jedis) {
    Map<String, GeoCoordinate> members = new LinkedHashMap<>();
    members.put("Palermo", new GeoCoordinate(PALERMO_LON, PALERMO_LAT));
    members.put("Catania", new GeoCoordinate(15.087269, 37.502669));
    members.put("Agrigento", new GeoCoordinate(13.583333, 37.316667));
    assertEquals(3, jedis.geoadd("Sicily", members));
  }

  private static List<String> names(List<GeoRadiusResponse> results) {
    List<String> names = new ArrayList<>();
    results.forEach(r -> names.add(r.getMemberByString()));
    return names;
  }

  @BothProtocols
  void geoadd_storesRedisGeohashAsScore_optionsAsZadd(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals(1, jedis.geoadd("Sicily", PALERMO_LON, PALERMO_LAT, "Palermo"));
    assertEquals(3479099956230698.0, jedis.zscore("Sicily", "Palermo"));
    Map<String, GeoCoordinate> moved = Map.of("Palermo", new GeoCoordinate(13.5, 38.0));
    assertEquals(0, jedis.geoadd("Sicily", GeoAddParams.geoAddParams().nx(), moved));
    assertEquals(1, jedis.geoadd("Sicily", GeoAddParams.geoAddParams().xx().ch(), moved));
    assertEquals(0, jedis.geoadd("nokey", GeoAddParams.geoAddParams().xx(), moved));
    assertEquals("zset", jedis.type("Sicily"));
    assertError(
        "ERR invalid longitude,latitude pair 200.000000,100.000000",
        () -> jedis.geoadd("Sicily", 200, 100, "nowhere"));
  }

  @BothProtocols
  void geopos_geodist_geohash_asRedis(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    sicily(jedis);
    List<GeoCoordinate> positions = jedis.geopos("Sicily", "Palermo", "nope");
    assertEquals(13.36138933897018433, positions.get(0).getLongitude(), 0);
    assertEquals(38.11555639549629859, positions.get(0).getLatitude(), 0);
    assertNull(positions.get(1));
    assertEquals(166.2742, jedis.geodist("Sicily", "Palermo", "Catania", GeoUnit.KM));
    assertEquals(166274.1516, jedis.geodist("Sicily", "Palermo", "Catania"));
    assertNull(jedis.geodist("Sicily", "Palermo", "nope"));
    assertEquals(
        List.of("sqc8b49rny0", "sqdtr74hyu0"), jedis.geohash("Sicily", "Palermo", "Catania"));
  }

  @BothProtocols
  void geosearch_fromMemberAndLonLat_radiusAndBox_withOptions(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    sicily(jedis);
    List<GeoRadiusResponse> near =
        jedis.geosearch(
            "Sicily",
            new GeoSearchParam()
                .fromLonLat(15, 37)
                .byRadius(200, GeoUnit.KM)
                .withDist()
                .withCoord()
                .withHash()
                .asc());
    assertEquals(List.of("Catania", "Agrigento", "Palermo"), names(near));
    assertEquals(56.4413, near.get(0).getDistance());
    assertEquals(3479447370796909L, near.get(0).getRawScore());
    assertEquals(15.08726745843887329, near.get(0).getCoordinate().getLongitude(), 0);
    List<GeoRadiusResponse> box =
        jedis.geosearch(
            "Sicily",
            new GeoSearchParam().fromMember("Palermo").byBox(200, 200, GeoUnit.KM).desc().count(1));
    assertEquals(List.of("Agrigento"), names(box));
    List<GeoRadiusResponse> any =
        jedis.geosearch(
            "Sicily",
            new GeoSearchParam().fromLonLat(15, 37).byRadius(200, GeoUnit.KM).count(2, true));
    assertEquals(2, any.size());
    assertError(
        "ERR could not decode requested zset member",
        () ->
            jedis.geosearch(
                "Sicily", new GeoSearchParam().fromMember("nope").byRadius(1, GeoUnit.KM)));
  }

  @BothProtocols
  void geosearchstore_andGeoradiusStore_storeHashesOrDistances(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    sicily(jedis);
    GeoSearchParam around = new GeoSearchParam().fromLonLat(15, 37).byRadius(200, GeoUnit.KM);
    assertEquals(3, jedis.geosearchStore("dest", "Sicily", around));
    assertEquals(3479099956230698.0, jedis.zscore("dest", "Palermo"));
    assertEquals(3, jedis.geosearchStoreStoreDist("dist", "Sicily", around));
    assertEquals(56.441257870158204, jedis.zscore("dist", "Catania"), 1e-12);
    assertEquals(
        1,
        jedis.georadiusStore(
            "Sicily",
            15,
            37,
            200,
            GeoUnit.KM,
            GeoRadiusParam.geoRadiusParam().sortAscending().count(1),
            GeoRadiusStoreParam.geoRadiusStoreParam().store("one")));
    assertEquals(List.of("Catania"), jedis.zrange("one", 0, -1));
    List<GeoRadiusResponse> byMember =
        jedis.georadiusByMemberReadonly(
            "Sicily", "Agrigento", 100, GeoUnit.KM, GeoRadiusParam.geoRadiusParam().withDist());
    assertEquals(List.of("Agrigento", "Palermo"), names(byMember));
    assertEquals(90.9778, byMember.get(1).getDistance());
  }

  @Test
  void notifications_geoaddIsZadd_storesNameTheirCommand_emptyStoreDeletes() {
    Jedis jedis = jedis(RedisProtocol.RESP2);
    assertEquals("OK", jedis.configSet("notify-keyspace-events", "Egz"));
    try (RespSocket subscriber = RespSocket.connect(server.port())) {
      subscriber.call("PSUBSCRIBE", "__keyevent@0__:*");
      sicily(jedis);
      GeoSearchParam around = new GeoSearchParam().fromLonLat(15, 37).byRadius(200, GeoUnit.KM);
      jedis.geosearchStore("dest", "Sicily", around);
      jedis.georadiusStore(
          "Sicily",
          15,
          37,
          200,
          GeoUnit.KM,
          GeoRadiusParam.geoRadiusParam(),
          GeoRadiusStoreParam.geoRadiusStoreParam().store("dest"));
      jedis.georadiusStore(
          "Sicily",
          0,
          0,
          1,
          GeoUnit.KM,
          GeoRadiusParam.geoRadiusParam(),
          GeoRadiusStoreParam.geoRadiusStoreParam().store("dest"));
      List<String> events = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        List<?> message = (List<?>) subscriber.read();
        events.add(message.get(2) + " " + message.get(3));
      }
      assertEquals(
          List.of(
              "__keyevent@0__:zadd Sicily",
              "__keyevent@0__:geosearchstore dest",
              "__keyevent@0__:georadiusstore dest",
              "__keyevent@0__:del dest"),
          events);
    } finally {
      jedis.configSet("notify-keyspace-events", "");
    }
    assertTrue(jedis.exists("Sicily"));
  }
}
