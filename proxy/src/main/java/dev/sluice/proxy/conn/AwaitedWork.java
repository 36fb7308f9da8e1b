package dev.sluice.proxy.conn;

import dev.sluice.proxy.engine.CommandContext.AwaitRequest;
import dev.sluice.proxy.resp.Reply;

/**
 * Work a command handed off without the keyspace lock ({@code SLUICE WARM} streaming rows, a flush
 * waiting for PostgreSQL): when it completes, its continuation answers with the outcome, or the
 * failure, as the command's reply.
 */
final class AwaitedWork extends Suspension {
  private final Reply reply;
  private final AwaitRequest request;

  AwaitedWork(Reply reply, AwaitRequest request) {
    super(Kind.WORK, request.work());
    this.reply = reply;
    this.request = request;
  }

  @Override
  Throwable fatalError() {
    return null; // a failed work is the command's error reply, not the connection's end
  }

  @Override
  Suspension resume() {
    Throwable error = cause(request.work());
    Object value = error == null ? request.work().join() : null;
    request.then().resume(reply, value, error);
    return null;
  }
}
