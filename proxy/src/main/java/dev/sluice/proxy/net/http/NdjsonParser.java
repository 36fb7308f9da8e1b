package dev.sluice.proxy.net.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * NDJSON: one JSON object per line, its members the columns. Strings are taken as they are, numbers
 * and booleans as their JSON text, null as SQL NULL, objects and arrays as JSON text (for
 * json/jsonb columns). Blank lines are skipped.
 */
final class NdjsonParser implements RowParser {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Rows rows;
  private final Line current = new Line();
  private long line = 1;

  NdjsonParser(Rows rows) {
    this.rows = rows;
  }

  @Override
  public void feed(ByteBuf chunk) {
    int end = chunk.writerIndex();
    for (int i = chunk.readerIndex(); i < end; i++) {
      byte b = chunk.getByte(i);
      if (b == '\n') {
        endLine();
        line++;
      } else {
        current.add(b, line);
      }
    }
    chunk.readerIndex(end);
  }

  @Override
  public void finish() {
    endLine();
  }

  private void endLine() {
    int length = current.length;
    if (length > 0 && current.bytes[length - 1] == '\r') {
      length--;
    }
    current.length = 0;
    boolean blank = true;
    for (int i = 0; i < length && blank; i++) {
      byte b = current.bytes[i];
      blank = b == ' ' || b == '\t';
    }
    if (blank) {
      return;
    }
    JsonNode node;
    try {
      node = JSON.readTree(current.bytes, 0, length);
    } catch (JsonProcessingException e) {
      throw IngestException.badRow(
          line, null, null, "not valid JSON: " + e.getOriginalMessage().replace('\n', ' '));
    } catch (IOException e) {
      throw IngestException.badRow(line, null, null, "not valid JSON: " + e.getMessage());
    }
    if (node == null || !node.isObject()) {
      throw IngestException.badRow(line, null, null, "not a JSON object");
    }
    List<byte[]> pairs = new ArrayList<>(node.size() * 2);
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      pairs.add(field.getKey().getBytes(StandardCharsets.UTF_8));
      JsonNode value = field.getValue();
      if (value.isNull()) {
        pairs.add(null);
      } else if (value.isTextual()) {
        pairs.add(value.textValue().getBytes(StandardCharsets.UTF_8));
      } else if (value.isValueNode()) {
        pairs.add(value.asText().getBytes(StandardCharsets.UTF_8));
      } else {
        pairs.add(value.toString().getBytes(StandardCharsets.UTF_8));
      }
    }
    rows.row(line, pairs);
  }
}
