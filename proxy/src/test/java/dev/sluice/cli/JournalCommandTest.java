package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.writeback.journal.JournalOptions;
import dev.sluice.writeback.journal.JournalWriter;
import dev.sluice.writeback.sink.AppendRow;
import dev.sluice.writeback.sink.AppendRowCodec;
import dev.sluice.writeback.sink.KvDelete;
import dev.sluice.writeback.sink.KvWrite;
import dev.sluice.writeback.sink.RowDelete;
import dev.sluice.writeback.sink.RowUpsert;
import dev.sluice.writeback.sink.WriteRecord;
import dev.sluice.writeback.sink.WriteRecordCodec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class JournalCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine commandLine = Main.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  private Path segment() throws Exception {
    try (JournalWriter w = JournalWriter.open(JournalOptions.defaults(dir))) {
      for (int i = 0; i < 5; i++) {
        w.append((byte) 1, ("record " + i).getBytes(StandardCharsets.UTF_8))
            .get(10, TimeUnit.SECONDS);
      }
      return w.segmentFiles().get(0);
    }
  }

  @Test
  void verify_intactJournal_exitsZero() throws Exception {
    segment();
    assertEquals(0, run("journal", "verify", "--journal.dir", dir.toString()), err.toString());
    assertTrue(out.toString().startsWith("OK: 1 segments, 5 records"), out.toString());
    assertEquals(0, run("journal", "stats", "--journal.dir", dir.toString()));
    assertTrue(out.toString().contains("last LSN:  5"), out.toString());
  }

  @Test
  void verify_corruptRecord_exitsOneNamingFileAndOffset() throws Exception {
    Path file = segment();
    byte[] bytes = Files.readAllBytes(file);
    bytes[20 + 17 + 1] ^= 1; // payload of the first record; four valid ones follow
    Files.write(file, bytes);
    assertEquals(1, run("journal", "verify", "--journal.dir", dir.toString()));
    assertTrue(err.toString().contains(file + " at byte offset 20"), err.toString());
  }

  @Test
  void verify_missingDirectory_exitsTwo() {
    assertEquals(2, run("journal", "verify", "--journal.dir", dir.resolve("nope").toString()));
    assertEquals(2, run("journal", "verify", "--no-such-flag"));
  }

  @Test
  void dump_appendRows_printsLsnTypeSizeAndDecodedRow() throws Exception {
    try (JournalWriter w = JournalWriter.open(JournalOptions.defaults(dir))) {
      for (int i = 1; i <= 4; i++) {
        AppendRow row =
            new AppendRow(
                "page_views",
                java.util.List.of("user_id", "path"),
                java.util.Arrays.asList(
                    ("" + i).getBytes(StandardCharsets.UTF_8),
                    i == 4 ? null : ("/p/" + i).getBytes(StandardCharsets.UTF_8)));
        w.append(AppendRowCodec.TYPE, AppendRowCodec.encode(row)).get(10, TimeUnit.SECONDS);
      }
      w.append((byte) 7, new byte[] {'h', 'i', 0}).get(10, TimeUnit.SECONDS);
    }

    int code = run("journal", "dump", dir.toString(), "--from", "2", "--limit", "3");

    assertEquals(0, code, err.toString());
    String[] lines = out.toString().split("\n");
    assertEquals(4, lines.length, out.toString());
    assertTrue(lines[0].startsWith("LSN"), lines[0]);
    assertTrue(
        lines[1].matches("2 +append-row +\\d+  page_views user_id='2', path='/p/2'"), lines[1]);
    assertTrue(
        lines[3].matches("4 +append-row +\\d+  page_views user_id='4', path=NULL"), lines[3]);
    assertTrue(err.toString().contains("3 records"), err.toString());

    out.getBuffer().setLength(0);
    assertEquals(0, run("journal", "dump", dir.toString(), "--from", "5"));
    assertTrue(
        out.toString().contains("5            type-7              3  \"hi\\x00\""), out.toString());
  }

  @Test
  void dump_rowAndKvRecords_printsTheirTypeAndDecodedContent() throws Exception {
    try (JournalWriter w = JournalWriter.open(JournalOptions.defaults(dir))) {
      for (WriteRecord record :
          java.util.List.of(
              new RowUpsert(
                  "users",
                  java.util.List.of("1"),
                  java.util.List.of("country", "email"),
                  java.util.Arrays.asList("FR".getBytes(StandardCharsets.UTF_8), null)),
              new RowDelete("users", java.util.List.of("2")),
              new KvWrite(
                  "sessions",
                  "session:a".getBytes(StandardCharsets.UTF_8),
                  "string",
                  new byte[3],
                  1_700_000_000_000L),
              new KvDelete("sessions", "session:b".getBytes(StandardCharsets.UTF_8)))) {
        w.append(WriteRecordCodec.type(record), WriteRecordCodec.encode(record))
            .get(10, TimeUnit.SECONDS);
      }
    }

    assertEquals(0, run("journal", "dump", dir.toString()), err.toString());
    String[] lines = out.toString().split("\n");
    assertEquals(5, lines.length, out.toString());
    assertTrue(
        lines[1].matches("1 +row-upsert +\\d+  users \\[1\\] country='FR', email=NULL"), lines[1]);
    assertTrue(lines[2].matches("2 +row-delete +\\d+  users \\[2\\] deleted"), lines[2]);
    assertTrue(
        lines[3].matches(
            "3 +kv-write +\\d+  sessions 'session:a' string 3 bytes expires 1700000000000"),
        lines[3]);
    assertTrue(lines[4].matches("4 +kv-delete +\\d+  sessions 'session:b' deleted"), lines[4]);
  }

  @Test
  void dump_missingDirectory_exitsTwo() {
    assertEquals(2, run("journal", "dump", dir.resolve("nope").toString()));
    assertTrue(err.toString().contains("no journal directory"), err.toString());
  }
}
