package dev.sluice.proxy.conn;

import dev.sluice.proxy.replication.MasterLink;
import dev.sluice.proxy.replication.Primary;
import dev.sluice.proxy.runtime.Replication;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replica's side of a link's start (Redis's syncWithMaster and readSyncBulkPayload), a bounded
 * state machine over the primary's replies:
 *
 * <pre>
 *   PONG ─▶ [AUTH] ─▶ PORT ─▶ CAPA ─▶ PSYNC ─┬─ +FULLRESYNC id offset ─▶ BULK_HEAD ─▶ BULK ─▶ stream
 *                                            └─ +CONTINUE [id] ─────────────────────────────▶ stream
 * </pre>
 *
 * Each step sends one command and reads one line. The file comes as {@code $<length>} and its
 * bytes, or, from a primary that streams it without a disk (capa eof), as {@code $EOF:<40 random
 * bytes>}, the bytes, and the same 40 bytes again; before it, a primary preparing the file sends
 * newlines to show it is alive. Once the stream runs, this handler gives its place to the decoder
 * and handler every client connection has, and the bytes after the file go to them.
 */
final class MasterHandshake extends ByteToMessageDecoder {
  private static final Logger log = LoggerFactory.getLogger(MasterHandshake.class);

  private static final int MAX_LINE = 64 * 1024;
  private static final int EOF_MARK = 40;

  private enum Step {
    PONG,
    AUTH,
    PORT,
    CAPA,
    PSYNC,
    BULK_HEAD,
    BULK
  }

  private final MasterLink link;
  private final Replication replication;
  private final int listeningPort;
  private final Runnable startStream;
  private Step step = Step.PONG;
  private boolean failover; // this PSYNC asked the primary to take over
  private String replid;
  private long offset;
  private long expected; // the file's length, or -1 when it ends with the EOF mark
  private byte[] eofMark;
  private byte[] file;
  private int size;

  MasterHandshake(
      MasterLink link, Replication replication, int listeningPort, Runnable startStream) {
    this.link = link;
    this.replication = replication;
    this.listeningPort = listeningPort;
    this.startStream = startStream;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    link.handshaking(System.currentTimeMillis());
    send(ctx, "PING");
    super.channelActive(ctx);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    link.heard(System.currentTimeMillis());
    while (in.isReadable() && !ctx.isRemoved()) {
      if (step == Step.BULK) {
        if (!readFile(ctx, in)) {
          return;
        }
        continue;
      }
      if (step == Step.BULK_HEAD && in.getByte(in.readerIndex()) == '\n') {
        in.skipBytes(1); // the primary is preparing the file
        continue;
      }
      String line = readLine(in);
      if (line == null) {
        return;
      }
      onLine(ctx, line);
    }
  }

  private void onLine(ChannelHandlerContext ctx, String line) {
    switch (step) {
      case PONG -> {
        // as Redis: a primary that wants a password answers NOAUTH, which AUTH then solves
        if (line.startsWith("-")
            && !line.startsWith("-NOAUTH")
            && !line.startsWith("-NOPERM")
            && !line.startsWith("-ERR operation not permitted")) {
          fail(ctx, "Error reply to PING from primary: '" + line + "'");
          return;
        }
        String[] credentials = replication.primaryCredentials();
        if (credentials != null) {
          step = Step.AUTH;
          String[] auth = new String[credentials.length + 1];
          auth[0] = "AUTH";
          System.arraycopy(credentials, 0, auth, 1, credentials.length);
          send(ctx, auth);
        } else {
          sendPort(ctx);
        }
      }
      case AUTH -> {
        if (line.startsWith("-")) {
          fail(ctx, "Unable to AUTH to the primary: " + line);
          return;
        }
        sendPort(ctx);
      }
      case PORT -> {
        if (line.startsWith("-")) {
          log.info(
              "(Non critical) The primary does not understand REPLCONF listening-port: {}", line);
        }
        step = Step.CAPA;
        send(ctx, "REPLCONF", "capa", "eof", "capa", "psync2", "capa", "sluice-journal");
      }
      case CAPA -> {
        if (line.startsWith("-")) {
          log.info("(Non critical) The primary does not understand REPLCONF capa: {}", line);
        }
        step = Step.PSYNC;
        String[] psync = link.psyncArguments();
        failover = link.failover();
        if (failover) {
          link.failoverAsked();
          send(ctx, "PSYNC", psync[0], psync[1], "FAILOVER");
        } else {
          send(ctx, "PSYNC", psync[0], psync[1]);
        }
      }
      case PSYNC -> onPsyncReply(ctx, line);
      case BULK_HEAD -> onBulkHead(ctx, line);
      default -> throw new IllegalStateException("no line expected in step " + step);
    }
  }

  private void sendPort(ChannelHandlerContext ctx) {
    step = Step.PORT;
    send(ctx, "REPLCONF", "listening-port", Integer.toString(listeningPort));
  }

  private void onPsyncReply(ChannelHandlerContext ctx, String line) {
    if (line.isEmpty()) {
      return; // a newline the primary sends to keep the link alive before it answers
    }
    boolean accepted = line.startsWith("+FULLRESYNC") || line.startsWith("+CONTINUE");
    if (failover) {
      replication.failoverAnswered(link, accepted);
    }
    if (line.startsWith("+FULLRESYNC")) {
      String[] words = line.split(" ");
      if (words.length != 3 || words[1].length() != 40) {
        fail(ctx, "Bad +FULLRESYNC reply from the primary: '" + line + "'");
        return;
      }
      replid = words[1];
      try {
        offset = Long.parseLong(words[2]);
      } catch (NumberFormatException e) {
        fail(ctx, "Bad offset in +FULLRESYNC reply from the primary: '" + line + "'");
        return;
      }
      step = Step.BULK_HEAD;
    } else if (line.startsWith("+CONTINUE")) {
      String newId = line.length() > "+CONTINUE ".length() ? line.substring(10).trim() : null;
      log.info("Partial resynchronisation from the primary accepted");
      replication.continued(link, newId == null || newId.isEmpty() ? null : newId);
      startStream.run();
    } else {
      // -NOMASTERLINK, -LOADING and the like: try again from the cron
      fail(ctx, "The primary refused PSYNC: '" + line + "'");
    }
  }

  private void onBulkHead(ChannelHandlerContext ctx, String line) {
    if (line.startsWith("-")) {
      fail(ctx, "The primary aborted the synchronisation: '" + line + "'");
      return;
    }
    if (!line.startsWith("$")) {
      fail(ctx, "Bad protocol from the primary, the first byte is not '$': '" + line + "'");
      return;
    }
    if (line.startsWith("$EOF:") && line.length() == 5 + EOF_MARK) {
      eofMark = line.substring(5).getBytes(StandardCharsets.ISO_8859_1);
      expected = -1;
    } else {
      try {
        expected = Long.parseLong(line.substring(1));
      } catch (NumberFormatException e) {
        fail(ctx, "Bad length of the RDB file from the primary: '" + line + "'");
        return;
      }
      if (expected < 0 || expected > Integer.MAX_VALUE - 8) {
        fail(ctx, "The primary's RDB file of " + expected + " bytes is larger than 2 GiB");
        return;
      }
    }
    file = new byte[expected > 0 ? (int) Math.min(expected, 1 << 26) : 1 << 16];
    size = 0;
    link.transferring(replid, offset, expected, System.currentTimeMillis());
    log.info(
        "Full resynchronisation from the primary: replication ID {}, offset {}", replid, offset);
    step = Step.BULK;
  }

  /** Reads the file's bytes; true once it was loaded and the stream runs. */
  private boolean readFile(ChannelHandlerContext ctx, ByteBuf in) {
    long wanted = expected >= 0 ? expected - size : in.readableBytes();
    int chunk = (int) Math.min(in.readableBytes(), wanted);
    if ((long) size + chunk > Integer.MAX_VALUE - 8) {
      fail(ctx, "The primary's RDB file is larger than 2 GiB");
      return false;
    }
    int before = size;
    grow(size + chunk);
    in.readBytes(file, size, chunk);
    size += chunk;
    link.transferred(size, System.currentTimeMillis());
    if (expected >= 0) {
      if (size < expected) {
        return false;
      }
      load(ctx, Arrays.copyOf(file, size));
      return true;
    }
    int markEnd = findMark(Math.max(0, before - EOF_MARK + 1));
    if (markEnd < 0) {
      return false;
    }
    in.readerIndex(in.readerIndex() - (size - markEnd)); // what follows the mark is the stream
    load(ctx, Arrays.copyOf(file, markEnd - EOF_MARK));
    return true;
  }

  /** The end of the EOF mark in the file's bytes, searching from {@code from}, or -1. */
  private int findMark(int from) {
    for (int start = from; start + EOF_MARK <= size; start++) {
      if (Arrays.equals(file, start, start + EOF_MARK, eofMark, 0, EOF_MARK)) {
        return start + EOF_MARK;
      }
    }
    return -1;
  }

  private void grow(int needed) {
    if (needed > file.length) {
      file =
          Arrays.copyOf(
              file, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(needed, 2L * file.length)));
    }
  }

  private void load(ChannelHandlerContext ctx, byte[] rdb) {
    file = null;
    try {
      replication.loadFromPrimary(link, rdb, replid, offset);
    } catch (RuntimeException e) {
      fail(ctx, "Failed to load the RDB file from the primary: " + e.getMessage());
      return;
    }
    log.info("Loaded the primary's RDB file ({} bytes): the stream runs", rdb.length);
    startStream.run();
  }

  private static String readLine(ByteBuf in) {
    int end = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
    if (end < 0) {
      if (in.readableBytes() > MAX_LINE) {
        throw new IllegalStateException("a reply line from the primary longer than 64 KiB");
      }
      return null;
    }
    int length = end - in.readerIndex();
    String line = in.toString(in.readerIndex(), length, StandardCharsets.ISO_8859_1);
    in.skipBytes(length + 1);
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }

  private void send(ChannelHandlerContext ctx, String... args) {
    byte[][] bytes = new byte[args.length][];
    for (int i = 0; i < args.length; i++) {
      bytes[i] = args[i].getBytes(StandardCharsets.UTF_8);
    }
    ctx.writeAndFlush(Unpooled.wrappedBuffer(Primary.encode(bytes)));
  }

  private void fail(ChannelHandlerContext ctx, String why) {
    log.warn("Replication link to {}:{}: {}", link.host(), link.port(), why);
    ctx.close();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(ctx, cause.toString());
  }
}
