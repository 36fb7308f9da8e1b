import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * The hottest methods of a JFR recording's execution samples on threads whose name starts with a
 * prefix, within a time window: self (top frame) and total (anywhere on the stack) shares.
 *
 * <pre>java bench/JfrTop.java recording.jfr thread-prefix [from-instant to-instant] [rows=30]</pre>
 */
public final class JfrTop {
  public static void main(String[] args) throws Exception {
    String prefix = args[1];
    Instant from = args.length > 3 ? Instant.parse(args[2]) : Instant.MIN;
    Instant to = args.length > 3 ? Instant.parse(args[3]) : Instant.MAX;
    int top = args.length > 4 ? Integer.parseInt(args[4]) : 30;
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> total = new HashMap<>();
    int samples = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
      if (!e.getEventType().getName().equals("jdk.ExecutionSample")
          || e.getStartTime().isBefore(from)
          || e.getStartTime().isAfter(to)
          || e.getThread("sampledThread") == null
          || !String.valueOf(e.getThread("sampledThread").getJavaName()).startsWith(prefix)
          || e.getStackTrace() == null) {
        continue;
      }
      samples++;
      List<RecordedFrame> frames = e.getStackTrace().getFrames();
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < frames.size(); i++) {
        RecordedFrame f = frames.get(i);
        String m = f.getMethod().getType().getName() + "." + f.getMethod().getName();
        if (i == 0) {
          self.merge(m, 1, Integer::sum);
        }
        if (seen.add(m)) {
          total.merge(m, 1, Integer::sum);
        }
      }
    }
    System.out.println(samples + " samples on " + prefix + "*");
    print("self", self, samples, top);
    print("total", total, samples, top);
  }

  private static void print(String title, Map<String, Integer> counts, int samples, int top) {
    System.out.println("-- " + title);
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(top)
        .forEach(
            e -> System.out.printf("%5.1f%% %s%n", 100.0 * e.getValue() / samples, e.getKey()));
  }
}
