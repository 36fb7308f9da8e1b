package dev.sluice.proxy.pubsub;

import dev.sluice.proxy.resp.Reply;
import java.util.function.Consumer;

/** A client as pub/sub sees it: what it subscribed to, and where its messages go. */
public interface Subscriber {
  Subscriptions subscriptions();

  /**
   * Sends a message out of band, from any thread, in the client's protocol (a RESP3 push or a RESP2
   * array).
   */
  void deliver(Consumer<Reply> message);
}
