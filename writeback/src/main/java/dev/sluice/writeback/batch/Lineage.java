package dev.sluice.writeback.batch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The replication lineage a journal belongs to and the term this node holds as its owner (0: it
 * never took it over, it only follows it), kept in the file {@code lineage} of the journal
 * directory as one line {@code <id> <term>}.
 *
 * <p>A lineage is created when a node with an empty journal first journals as a primary ({@code
 * <node>-<8 hex digits>}); a replica adopts its primary's at a full resync, with term 0; a promoted
 * replica keeps it and raises the term in PostgreSQL. A journal from before lineages has no file:
 * its lineage is the node's name, under which its applied LSNs were kept.
 */
public record Lineage(String id, long term) {
  static final String FILE = "lineage";

  public Lineage {
    if (id.isEmpty() || id.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("a lineage ID is one word, got '" + id + "'");
    }
  }

  /** A new lineage for {@code node}. */
  static Lineage fresh(String node) {
    byte[] random = new byte[4];
    ThreadLocalRandom.current().nextBytes(random);
    return new Lineage(node + "-" + HexFormat.of().formatHex(random), 0);
  }

  Lineage withTerm(long newTerm) {
    return new Lineage(id, newTerm);
  }

  /** The lineage stored in {@code journalDir}, or null when it has none. */
  static Lineage read(Path journalDir) {
    Path file = journalDir.resolve(FILE);
    if (!Files.exists(file)) {
      return null;
    }
    try {
      String[] words = Files.readString(file, StandardCharsets.UTF_8).trim().split("\\s+");
      if (words.length != 2) {
        throw new IllegalStateException(
            file + " must hold '<lineage> <term>', holds " + words.length + " words");
      }
      return new Lineage(words[0], Long.parseLong(words[1]));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (NumberFormatException e) {
      throw new IllegalStateException(file + ": the term is not a number: " + e.getMessage(), e);
    }
  }

  /** Stores this lineage in {@code journalDir}, durably (written aside, forced, renamed). */
  void write(Path journalDir) {
    Path file = journalDir.resolve(FILE);
    Path aside = journalDir.resolve(FILE + ".tmp");
    try {
      Files.createDirectories(journalDir);
      try (FileChannel channel =
          FileChannel.open(
              aside,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        channel.write(
            java.nio.ByteBuffer.wrap((id + " " + term + "\n").getBytes(StandardCharsets.UTF_8)));
        channel.force(true);
      }
      Files.move(aside, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
