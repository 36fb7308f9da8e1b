package dev.sluice.proxy.resp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ByteProcessor;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Decodes client requests: RESP multibulk arrays ({@code *2\r\n$3\r\nGET\r\n$1\r\nk\r\n}) and
 * inline commands ({@code PING\r\n}, with Redis's quoting rules).
 *
 * <p>A state machine that never allocates what the client only announces: an argument's bytes are
 * copied out once they have all arrived, and the argument list grows with the arguments that did
 * arrive. Every length is bounded — lines by {@link #MAX_INLINE}, bulk lengths by {@code
 * proto-max-bulk-len}, argument counts by {@link #MAX_MULTIBULK} — and a violation yields one
 * {@link ProtocolError}, after which all further input is discarded.
 *
 * <p>Before the connection has authenticated, a multibulk may hold at most {@link
 * #MAX_UNAUTHENTICATED_MULTIBULK} arguments of at most {@link #MAX_UNAUTHENTICATED_BULK} bytes, as
 * in Redis, so a client without the password cannot make the server buffer much. Whenever the
 * decoder waits for more input, the bytes it holds for the incomplete command (unparsed input plus
 * the arguments already copied out) are compared with {@code client-query-buffer-limit}; past it
 * the decoder emits {@link QueryBufferLimitReached} and the connection is closed. These checks run
 * only where a length is parsed or a read ends mid-command, never per byte.
 *
 * <p>Walking the state machine with ByteBuf accessors costs a bounds and accessibility check per
 * byte, which made decoding the largest cost of a pipelined ingest. So at the start of a multibulk
 * command a fast path ({@link CompleteCommandParser}) parses the commands that have arrived
 * complete from a plain byte array — the buffer's own, or one copy of a direct buffer's bytes into
 * a scratch array per I/O thread — and consumes them. It takes only commands within every limit and
 * stops, consuming nothing of it, at the first command that is incomplete or not plain (a malformed
 * or too large length, an unexpected type byte), which the state machine then decodes as before:
 * errors, limits and the query buffer accounting are the state machine's alone, and a complete
 * command never counts against the query buffer limit either way.
 */
public final class RespDecoder extends ByteToMessageDecoder {
  /** Longest inline command or length line, as Redis's PROTO_INLINE_MAX_SIZE. */
  public static final int MAX_INLINE = 64 * 1024;

  /** Most arguments in one command. */
  public static final int MAX_MULTIBULK = 1024 * 1024;

  /** Most arguments of one command before authentication, as Redis. */
  public static final int MAX_UNAUTHENTICATED_MULTIBULK = 10;

  /** Longest argument before authentication, as Redis. */
  public static final int MAX_UNAUTHENTICATED_BULK = 16384;

  /** Arguments allocated up front from an announced count; beyond this they grow as they arrive. */
  private static final int PRESIZED_ARGS = 64;

  /** Most arguments, and longest argument, of a command kept for the next one to share. */
  private static final int REMEMBERED_ARGS = 64;

  private static final int REMEMBERED_ARG_BYTES = 1024;

  /** Bytes of a direct buffer the fast path parses per copy: as much as one socket read brings. */
  private static final int SCRATCH_BYTES = 64 * 1024;

  // one per I/O thread, not per connection: it holds bytes only during a decode call
  private static final FastThreadLocal<byte[]> SCRATCH =
      new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
          return new byte[SCRATCH_BYTES];
        }
      };

  private enum State {
    START,
    BULK_LENGTH,
    BULK_DATA,
    FAILED
  }

  private final LongSupplier maxBulkLength;
  private final LongSupplier queryBufferLimit;
  private final BooleanSupplier authenticated;
  private State state = State.START;
  private int remainingArgs;
  private int bulkLength;
  // the current command's arguments: sized by the announced count up to PRESIZED_ARGS, grown as
  // arguments arrive beyond that, so an announced count alone never allocates much
  private byte[][] args;
  private int argCount;
  private int expectedArgs;
  // the previous command's arguments: one the next command has at the same place with the same
  // bytes is handed out again, so a pipeline of the same command (a name, a key, column names)
  // allocates only what changes; arguments are never modified after decoding. Kept only when
  // small (see remember), so an idle connection does not hold on to a large value it sent.
  private byte[][] lastArgs;
  // bytes of the arguments of the incomplete command already copied out of the input
  private long argBytes;

  /** A decoder for an authenticated connection without a query buffer limit. */
  public RespDecoder(LongSupplier maxBulkLength) {
    this(maxBulkLength, () -> Long.MAX_VALUE, () -> true);
  }

  /**
   * @param maxBulkLength current {@code proto-max-bulk-len}, read per argument (per batch of
   *     complete commands on the fast path) so CONFIG SET takes effect on open connections
   * @param queryBufferLimit current {@code client-query-buffer-limit}
   * @param authenticated whether the connection may send large commands yet
   */
  public RespDecoder(
      LongSupplier maxBulkLength, LongSupplier queryBufferLimit, BooleanSupplier authenticated) {
    this.maxBulkLength = maxBulkLength;
    this.queryBufferLimit = queryBufferLimit;
    this.authenticated = authenticated;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (in.isReadable()) {
      switch (state) {
        case START -> {
          if (in.getByte(in.readerIndex()) != '*') {
            if (!readInline(in, out)) {
              return;
            }
          } else if (!readCompleteCommands(in, out) && !readMultibulkCount(in, out)) {
            return;
          }
        }
        case BULK_LENGTH -> {
          if (!readBulkLength(in, out)) {
            return;
          }
        }
        case BULK_DATA -> {
          if (in.readableBytes() < bulkLength + 2) {
            waitForMore(in, out);
            return;
          }
          byte[] arg = argCount == 0 ? reuseName(in) : null;
          if (arg == null) {
            arg = new byte[bulkLength];
            in.readBytes(arg);
          }
          in.skipBytes(2);
          if (argCount == args.length) {
            args = Arrays.copyOf(args, Math.min(expectedArgs, args.length * 2));
          }
          args[argCount++] = arg;
          argBytes += bulkLength;
          if (--remainingArgs == 0) {
            emit(out);
          } else {
            state = State.BULK_LENGTH;
          }
        }
        case FAILED -> {
          in.skipBytes(in.readableBytes());
          return;
        }
      }
    }
  }

  /**
   * The fast path: decodes the multibulk commands that lie complete and plain at the start of the
   * input (or of its first {@link #SCRATCH_BYTES} bytes) and consumes them. Returns whether it
   * decoded any; whatever it stops at is left for the state machine.
   */
  private boolean readCompleteCommands(ByteBuf in, List<Object> out) {
    boolean open = authenticated.getAsBoolean();
    int maxArgs = open ? MAX_MULTIBULK : MAX_UNAUTHENTICATED_MULTIBULK;
    long bulkLimit =
        Math.min(
            maxBulkLength.getAsLong(), open ? Integer.MAX_VALUE - 2 : MAX_UNAUTHENTICATED_BULK);
    // a negative proto-max-bulk-len admits no length: every command is left to the state machine
    int maxBulk = (int) Math.max(bulkLimit, -1);
    CompleteCommandParser parser = parserOver(in);
    byte[][] args;
    while ((args = parser.next(maxArgs, maxBulk, lastArgs)) != null) {
      remember(args);
      out.add(new Request(args));
    }
    in.skipBytes(parser.consumed());
    return parser.consumed() > 0;
  }

  /**
   * A parser over the readable bytes: the buffer's own array when it has one, else a copy of up to
   * {@link #SCRATCH_BYTES} of them into this thread's scratch array.
   */
  private static CompleteCommandParser parserOver(ByteBuf in) {
    if (in.hasArray()) {
      int from = in.arrayOffset() + in.readerIndex();
      return new CompleteCommandParser(in.array(), from, from + in.readableBytes());
    }
    byte[] scratch = SCRATCH.get();
    int length = Math.min(in.readableBytes(), scratch.length);
    in.getBytes(in.readerIndex(), scratch, 0, length);
    return new CompleteCommandParser(scratch, 0, length);
  }

  private boolean readMultibulkCount(ByteBuf in, List<Object> out) {
    int eol = findCrlf(in, MAX_INLINE);
    if (eol < 0) {
      return tooLong(in, MAX_INLINE, "too big mbulk count string", out);
    }
    long count = parseLong(in, in.readerIndex() + 1, eol);
    in.readerIndex(eol + 2);
    if (count == Long.MIN_VALUE || count > MAX_MULTIBULK) {
      return fail(in, "invalid multibulk length", out);
    }
    if (count > MAX_UNAUTHENTICATED_MULTIBULK && !authenticated.getAsBoolean()) {
      return fail(in, "unauthenticated multibulk length", out);
    }
    if (count <= 0) {
      return true; // Redis ignores empty and null arrays
    }
    remainingArgs = (int) count;
    expectedArgs = (int) count;
    args = new byte[(int) Math.min(count, PRESIZED_ARGS)][];
    argCount = 0;
    state = State.BULK_LENGTH;
    return true;
  }

  private boolean readBulkLength(ByteBuf in, List<Object> out) {
    int eol = findCrlf(in, MAX_INLINE);
    if (eol < 0) {
      return tooLong(in, MAX_INLINE, "too big bulk count string", out);
    }
    byte first = in.getByte(in.readerIndex());
    if (first != '$') {
      return fail(in, "expected '$', got '" + (char) (first & 0xff) + "'", out);
    }
    long length = parseLong(in, in.readerIndex() + 1, eol);
    in.readerIndex(eol + 2);
    if (length < 0 || length > maxBulkLength.getAsLong() || length > Integer.MAX_VALUE - 2) {
      return fail(in, "invalid bulk length", out);
    }
    if (length > MAX_UNAUTHENTICATED_BULK && !authenticated.getAsBoolean()) {
      return fail(in, "unauthenticated bulk length", out);
    }
    bulkLength = (int) length;
    state = State.BULK_DATA;
    return true;
  }

  private boolean readInline(ByteBuf in, List<Object> out) {
    int eol =
        in.forEachByte(
            in.readerIndex(), Math.min(in.readableBytes(), MAX_INLINE + 2), ByteProcessor.FIND_LF);
    if (eol < 0) {
      return tooLong(in, MAX_INLINE, "too big inline request", out);
    }
    int end = eol > in.readerIndex() && in.getByte(eol - 1) == '\r' ? eol - 1 : eol;
    byte[] line = new byte[end - in.readerIndex()];
    in.getBytes(in.readerIndex(), line);
    in.readerIndex(eol + 1);
    byte[][] parsed = InlineParser.split(line);
    if (parsed == null) {
      return fail(in, "unbalanced quotes in request", out);
    }
    if (parsed.length > 0) {
      out.add(new Request(parsed));
    }
    return true;
  }

  private void emit(List<Object> out) {
    remember(args);
    out.add(new Request(args));
    args = null;
    argBytes = 0;
    state = State.START;
  }

  /** Keeps a command's arguments for the next one to share, when they are few and short. */
  private void remember(byte[][] command) {
    lastArgs = null;
    if (command.length > REMEMBERED_ARGS) {
      return;
    }
    for (byte[] arg : command) {
      if (arg.length > REMEMBERED_ARG_BYTES) {
        return;
      }
    }
    lastArgs = command;
  }

  /** The previous command's name if the bulk about to be read is the same bytes, else null. */
  private byte[] reuseName(ByteBuf in) {
    byte[] name = lastArgs == null ? null : lastArgs[0];
    if (name == null || name.length != bulkLength) {
      return null;
    }
    int from = in.readerIndex();
    for (int i = 0; i < name.length; i++) {
      if (in.getByte(from + i) != name[i]) {
        return null;
      }
    }
    in.skipBytes(name.length);
    return name;
  }

  /** No line end yet: wait for more bytes, unless the line is already longer than allowed. */
  private boolean tooLong(ByteBuf in, int limit, String detail, List<Object> out) {
    if (in.readableBytes() > limit) {
      return fail(in, detail, out);
    }
    return waitForMore(in, out);
  }

  /**
   * The command is incomplete: checks what is held for it against the query buffer limit. A slow
   * client's partial command therefore costs at most that much memory, whatever it announced.
   */
  private boolean waitForMore(ByteBuf in, List<Object> out) {
    long held = in.readableBytes() + argBytes;
    long limit = queryBufferLimit.getAsLong();
    if (held > limit) {
      return failWith(in, new QueryBufferLimitReached(held, limit), out);
    }
    return false;
  }

  /** Bytes held for the incomplete command: unparsed input and arguments already read. */
  public long bufferedBytes() {
    ByteBuf cumulation = internalBuffer();
    return (cumulation == null ? 0 : cumulation.readableBytes()) + argBytes;
  }

  /**
   * Emits the error and discards all input: ByteToMessageDecoder rejects a decode call that emits a
   * message without consuming any bytes.
   */
  private boolean fail(ByteBuf in, String detail, List<Object> out) {
    return failWith(in, new ProtocolError(detail), out);
  }

  private boolean failWith(ByteBuf in, Object error, List<Object> out) {
    in.skipBytes(in.readableBytes());
    state = State.FAILED;
    args = null;
    argBytes = 0;
    out.add(error);
    return false;
  }

  /**
   * Index of the first '\r' within {@code limit + 2} bytes once the byte after it has arrived too
   * (Redis skips that byte without looking at it), or -1 to wait for more input.
   */
  private static int findCrlf(ByteBuf in, int limit) {
    int start = in.readerIndex();
    int cr = in.forEachByte(start, Math.min(in.readableBytes(), limit + 2), ByteProcessor.FIND_CR);
    return cr < 0 || cr + 1 >= in.writerIndex() ? -1 : cr;
  }

  /**
   * Parses a signed decimal in [from, to) as Redis's string2ll does (no leading zeros, no "-0");
   * Long.MIN_VALUE marks anything else.
   */
  static long parseLong(ByteBuf in, int from, int to) {
    if (from >= to || to - from > 19) {
      return Long.MIN_VALUE;
    }
    if (to - from == 1 && in.getByte(from) == '0') {
      return 0;
    }
    boolean negative = in.getByte(from) == '-';
    int i = negative ? from + 1 : from;
    if (i == to || in.getByte(i) == '0') {
      return Long.MIN_VALUE;
    }
    long value = 0;
    for (; i < to; i++) {
      byte b = in.getByte(i);
      if (b < '0' || b > '9') {
        return Long.MIN_VALUE;
      }
      value = value * 10 + (b - '0');
    }
    return negative ? -value : value;
  }
}
