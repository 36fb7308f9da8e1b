package dev.sluice.proxy.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.proxy.testing.RespStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JournalFreeStreamTest {
  private static byte[] command(String... args) {
    byte[][] bytes = new byte[args.length][];
    for (int i = 0; i < args.length; i++) {
      bytes[i] = args[i].getBytes(StandardCharsets.ISO_8859_1);
    }
    return StreamEncoder.encode(bytes);
  }

  /** The commands of a stream, each as its arguments; fails unless it is RESP arrays of bulks. */
  private static List<List<String>> commands(byte[] stream) {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(stream));
    List<List<String>> commands = new ArrayList<>();
    try {
      while (in.available() > 0) {
        commands.add(RespStream.command(in));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return commands;
  }

  @Test
  void noop_everyLengthFromTwentyToTenThousandButThirty_exactlyThatManyBytesOfPings() {
    for (int length = 20; length <= 10_000; length++) {
      if (length == 30) {
        continue;
      }
      byte[] noop = JournalFreeStream.noop(length);
      assertEquals(length, noop.length);
      for (List<String> command : commands(noop)) {
        assertEquals("PING", command.get(0), "length " + length);
      }
    }
  }

  @Test
  void noop_lengthsWhereTheArgumentGainsADigit_aBarePingFirst() {
    for (int length : new int[] {121, 1022, 10_023}) {
      List<List<String>> commands = commands(JournalFreeStream.noop(length));
      assertEquals(2, commands.size(), "length " + length);
      assertEquals(List.of("PING"), commands.get(0));
    }
  }

  @Test
  void noop_shorterThanAnyPing_refused() {
    assertThrows(IllegalArgumentException.class, () -> JournalFreeStream.noop(19));
    assertThrows(IllegalArgumentException.class, () -> JournalFreeStream.noop(30));
  }

  @Test
  void of_journalCommandsAmongOthers_replacedBySameLengthPingsOthersKept() {
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    stream.writeBytes(command("SELECT", "0"));
    byte[] journal = command("SLUICE.JOURNAL", "RECORDS", "node-1a2b3c4d", "7", "\u0001", "xyz");
    stream.writeBytes(journal);
    stream.writeBytes(command("SET", "k", "SLUICE.JOURNAL"));
    stream.writeBytes(command("SLUICE.JOURNAL", "APPLIED", "node-1a2b3c4d", "7"));
    byte[] original = stream.toByteArray();

    byte[] filtered = JournalFreeStream.of(original);

    assertEquals(original.length, filtered.length);
    List<List<String>> commands = commands(filtered);
    assertEquals(List.of("SELECT", "0"), commands.get(0));
    assertEquals("PING", commands.get(1).get(0));
    assertEquals(List.of("SET", "k", "SLUICE.JOURNAL"), commands.get(commands.size() - 2));
    assertEquals("PING", commands.get(commands.size() - 1).get(0));
    int journalAt = command("SELECT", "0").length;
    assertArrayEquals(
        JournalFreeStream.noop(journal.length),
        java.util.Arrays.copyOfRange(filtered, journalAt, journalAt + journal.length));
  }

  @Test
  void of_anEmptyArrayBetweenCommands_keptAsItIs() {
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    stream.writeBytes("*0\r\n".getBytes(StandardCharsets.US_ASCII));
    stream.writeBytes(command("SLUICE.JOURNAL", "APPLIED", "node-1a2b3c4d", "7"));
    stream.writeBytes("*0\r\n".getBytes(StandardCharsets.US_ASCII));
    byte[] filtered = JournalFreeStream.of(stream.toByteArray());
    assertEquals(stream.size(), filtered.length);
    assertEquals("*0\r\n*2\r\n$4\r\nPING", new String(filtered, 0, 16, StandardCharsets.US_ASCII));
  }

  @Test
  void of_noJournalCommand_theSameArray() {
    byte[] stream = command("SET", "k", "v");
    assertSame(stream, JournalFreeStream.of(stream));
  }

  @Test
  void of_notResp_unchanged() {
    byte[] stream = "+PONG\r\n".getBytes(StandardCharsets.US_ASCII);
    assertSame(stream, JournalFreeStream.of(stream));
    List<byte[]> cut = new ArrayList<>();
    byte[] whole = command("SLUICE.JOURNAL", "APPLIED", "n", "1");
    cut.add(java.util.Arrays.copyOf(whole, whole.length - 3));
    assertSame(cut.get(0), JournalFreeStream.of(cut.get(0)));
  }
}
