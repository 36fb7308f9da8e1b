package dev.sluice.proxy.testing;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;

/**
 * One server for all the tests of a class, an admin connection to it, and raw client connections
 * that the class closes between tests with {@link #closeClients} (in its own {@code @AfterEach},
 * where it also undoes what its tests changed: a pause, a setting, the data).
 */
public abstract class SharedServerTest {
  protected static TestServer server;
  protected static Jedis admin;
  private final List<RespSocket> opened = new ArrayList<>();

  @BeforeAll
  static void startSharedServer() {
    server = TestServer.start();
    admin = server.jedis(RedisProtocol.RESP2);
  }

  @AfterAll
  static void stopSharedServer() {
    admin.close();
    server.close();
  }

  /** A new raw connection, closed by {@link #closeClients}. */
  protected RespSocket client() {
    RespSocket socket = RespSocket.connect(server.port());
    opened.add(socket);
    return socket;
  }

  protected void closeClients() {
    opened.forEach(RespSocket::close);
    opened.clear();
  }
}
