package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.proxy.testing.BothProtocols;
import java.util.List;
import redis.clients.jedis.RedisProtocol;

/** bit and cjson inside scripts, with the results redis-server 7 gives. */
class ScriptLibrariesTest extends JedisServerTest {

  @BothProtocols
  void bit_operations_luaBitOpResults(RedisProtocol protocol) {
    assertEquals(
        List.of("0000000f", -1L, 256L, 2147483647L, -1L, "ff", "FF", 5L, 1L),
        jedis(protocol)
            .eval(
                "return {bit.tohex(bit.band(0xff, 0x0f)), bit.bnot(0), bit.lshift(1, 8),"
                    + " bit.rshift(-1, 1), bit.arshift(-1, 1), bit.tohex(255, 2),"
                    + " bit.tohex(255, -2), bit.bor(1, 4), bit.bxor(3, 2)}"));
  }

  @BothProtocols
  void cjson_encodeDecode_roundTripsAsRedis(RedisProtocol protocol) {
    assertEquals(
        List.of("[1,2,{\"a\":1}]", "{}", "[1,null,\"a\",{\"b\":{}}]", "\"a\\/b\\n\"", "x", 1L),
        jedis(protocol)
            .eval(
                "local d = cjson.decode('{\"k\":\"x\",\"n\":[1,2]}')\n"
                    + "return {cjson.encode({1,2,{a=1}}), cjson.encode({}),"
                    + " cjson.encode(cjson.decode('[1,null,\"a\",{\"b\":[]}]')),"
                    + " cjson.encode('a/b\\n'), d.k, d.n[1]}"));
  }
}
