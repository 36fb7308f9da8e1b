import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A consumer group drained by clients that each read a batch with XREADGROUP and acknowledge it
 * with one XACK, until the stream has nothing new: messages per second, read and acknowledged.
 * The stream is filled first (pipelined XADD), outside the clock; the pending list must be empty
 * at the end, or the run fails.
 *
 * <pre>java bench/StreamGroupBench.java PORT [messages=200000] [batch=100] [clients=8]</pre>
 *
 * Prints one CSV line: messages,seconds,messages per second.
 */
public final class StreamGroupBench {
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int messages = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    int clients = args.length > 3 ? Integer.parseInt(args[3]) : 8;
    try (Resp admin = new Resp(port)) {
      admin.call("DEL", "bench:stream");
      admin.call("XGROUP", "CREATE", "bench:stream", "g", "$", "MKSTREAM");
      for (int sent = 0; sent < messages; sent += 1000) {
        int n = Math.min(1000, messages - sent);
        for (int i = 0; i < n; i++) {
          admin.send("XADD", "bench:stream", "*", "job", Integer.toString(sent + i));
        }
        admin.flush();
        for (int i = 0; i < n; i++) {
          admin.read();
        }
      }
    }
    AtomicLong acked = new AtomicLong();
    CountDownLatch done = new CountDownLatch(clients);
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      String consumer = "c" + c;
      Thread t =
          new Thread(
              () -> {
                try (Resp conn = new Resp(port)) {
                  while (true) {
                    Object reply =
                        conn.call(
                            "XREADGROUP", "GROUP", "g", consumer, "COUNT", Integer.toString(batch),
                            "STREAMS", "bench:stream", ">");
                    List<String> ids = ids(reply);
                    if (ids.isEmpty()) {
                      break;
                    }
                    List<String> ack = new ArrayList<>(List.of("XACK", "bench:stream", "g"));
                    ack.addAll(ids);
                    acked.addAndGet((Long) conn.call(ack.toArray(String[]::new)));
                  }
                } catch (IOException e) {
                  throw new RuntimeException(e);
                } finally {
                  done.countDown();
                }
              });
      threads.add(t);
      t.start();
    }
    done.await();
    double seconds = (System.nanoTime() - start) / 1e9;
    try (Resp admin = new Resp(port)) {
      Object pending = ((List<?>) admin.call("XPENDING", "bench:stream", "g")).get(0);
      if (acked.get() != messages || (Long) pending != 0) {
        throw new IllegalStateException(
            "acknowledged " + acked + " of " + messages + ", " + pending + " still pending");
      }
      admin.call("DEL", "bench:stream");
    }
    System.out.printf("%d,%.3f,%.0f%n", messages, seconds, messages / seconds);
  }

  /** The entry IDs of an XREADGROUP reply ([[stream, [[id, fields]…]]]), none when it is nil. */
  private static List<String> ids(Object reply) {
    List<String> ids = new ArrayList<>();
    if (reply instanceof List<?> streams && !streams.isEmpty()) {
      for (Object entry : (List<?>) ((List<?>) streams.get(0)).get(1)) {
        ids.add((String) ((List<?>) entry).get(0));
      }
    }
    return ids;
  }

  /** Just enough RESP2: bulk strings as text, integers as Long, arrays as lists, errors thrown. */
  private static final class Resp implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    Resp(int port) throws IOException {
      socket = new Socket("127.0.0.1", port);
      socket.setTcpNoDelay(true);
      in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
      out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
    }

    Object call(String... args) throws IOException {
      send(args);
      flush();
      return read();
    }

    void send(String... args) throws IOException {
      StringBuilder b = new StringBuilder().append('*').append(args.length).append("\r\n");
      for (String a : args) {
        byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
        b.append('$').append(bytes.length).append("\r\n").append(a).append("\r\n");
      }
      out.write(b.toString().getBytes(StandardCharsets.UTF_8));
    }

    void flush() throws IOException {
      out.flush();
    }

    Object read() throws IOException {
      int type = in.read();
      String line = line();
      switch (type) {
        case '+':
          return line;
        case '-':
          throw new IOException(line);
        case ':':
          return Long.parseLong(line);
        case '$': {
          int n = Integer.parseInt(line);
          if (n < 0) {
            return null;
          }
          byte[] bytes = in.readNBytes(n + 2);
          return new String(bytes, 0, n, StandardCharsets.UTF_8);
        }
        case '*': {
          int n = Integer.parseInt(line);
          if (n < 0) {
            return null;
          }
          List<Object> list = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            list.add(read());
          }
          return list;
        }
        default:
          throw new IOException("unexpected RESP type " + (char) type);
      }
    }

    private String line() throws IOException {
      StringBuilder b = new StringBuilder();
      int c;
      while ((c = in.read()) != '\r') {
        if (c < 0) {
          throw new IOException("connection closed");
        }
        b.append((char) c);
      }
      in.read();
      return b.toString();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
