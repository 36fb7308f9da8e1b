package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.proxy.testing.Await;
import dev.sluice.proxy.testing.RespSocket;
import dev.sluice.proxy.testing.RespSocket.Simple;
import dev.sluice.proxy.testing.SharedServerTest;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * CLIENT REPLY where the reply leaves the connection by another path than a plain command's:
 * pipelines, a blocking command served later, scripts (which run off the connection's thread), and
 * pub/sub messages, which Redis 7.4 sends even with replies off. Single-connection sequences are
 * compared with redis-server in {@code ClientAclLogGoldenTest}.
 */
class ClientReplyTest extends SharedServerTest {

  @AfterEach
  void closeAndFlush() {
    closeClients();
    admin.flushAll();
  }

  @Test
  void replyOff_pipelinedCommands_onlyRepliesAfterOn() {
    RespSocket c = client();

    c.sendRaw("CLIENT REPLY OFF\r\nSET k 1\r\nINCR k\r\nGET k\r\nCLIENT REPLY ON\r\nGET k\r\n");

    assertEquals(new Simple("OK"), c.read());
    assertEquals("2", c.read());
  }

  @Test
  void replySkip_pipelinedCommands_dropsOnlyTheNextReply() {
    RespSocket c = client();

    c.sendRaw("CLIENT REPLY SKIP\r\nINCR n\r\nINCR n\r\nINCR n\r\n");

    assertEquals(2L, c.read());
    assertEquals(3L, c.read());
  }

  @Test
  void replySkip_blockingCommandServedLater_itsReplyDropped() {
    RespSocket c = client();
    c.send("CLIENT", "REPLY", "SKIP");
    c.send("BLPOP", "l", "0");
    Await.blockedClients(admin, 1);

    admin.rpush("l", "a");
    Await.blockedClients(admin, 0);

    assertEquals(new Simple("PONG"), c.call("PING"));
    assertEquals(0, admin.llen("l"));
  }

  @Test
  void replyOff_blockingCommandServedLater_nothingUntilOn() {
    RespSocket c = client();
    c.send("CLIENT", "REPLY", "OFF");
    c.send("BLPOP", "l", "0");
    Await.blockedClients(admin, 1);
    admin.rpush("l", "a");
    Await.blockedClients(admin, 0);

    assertEquals(new Simple("OK"), c.call("CLIENT", "REPLY", "ON"));
  }

  @Test
  void replySkip_script_itsReplyDroppedAndTheNextScriptAnswers() {
    RespSocket c = client();

    c.sendRaw("CLIENT REPLY SKIP\r\nEVAL \"return 1\" 0\r\nEVAL \"return 2\" 0\r\n");

    assertEquals(2L, c.read());
  }

  @Test
  void replyOff_scriptWritesButDoesNotAnswer() {
    RespSocket c = client();
    c.send("CLIENT", "REPLY", "OFF");
    c.send("EVAL", "redis.call('set', 'k', 'v') return 1", "0");

    assertEquals(new Simple("OK"), c.call("CLIENT", "REPLY", "ON"));
    assertEquals("v", admin.get("k"));
  }

  @Test
  void replyOff_subscribedClient_stillGetsMessages() {
    RespSocket c = client();
    c.call("HELLO", "3");
    assertEquals(List.of("subscribe", "ch", 1L), c.call("SUBSCRIBE", "ch"));
    c.send("CLIENT", "REPLY", "OFF");
    c.send("PING");
    Await.until("PING ran", () -> admin.clientList().contains("cmd=ping"));

    admin.publish("ch", "m");

    assertEquals(List.of("message", "ch", "m"), c.read());
  }
}
