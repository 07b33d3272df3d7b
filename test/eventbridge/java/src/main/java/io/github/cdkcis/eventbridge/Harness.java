package io.github.cdkcis.eventbridge;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import software.amazon.event.ruler.Machine;

/**
 * Reads one JSON object per line, {"pattern": {...} or "json text", "events": [{...} or "json text", ...]}, and answers one line per request:
 * {"json": [bool, ...], "event": [bool, ...], "comparable": [bool, ...]} (whether Machine.rulesForJSONEvent and
 * Machine.rulesForEvent match each event, and whether every number of the event is one event-ruler compares
 * numerically: its text is exactly the double that Java prints back, as event-ruler's ComparableNumber requires),
 * or {"error": "..."} when event-ruler refuses the pattern. A fresh Machine per request.
 */
public final class Harness {
  private Harness() {}

  /** Reads numbers exactly as written. */
  private static final ObjectMapper DECIMALS = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

  private static boolean numbersComparable(JsonNode node) {
    if (node.isNumber()) {
      BigDecimal written = node.decimalValue();
      double d = written.doubleValue();
      return !Double.isInfinite(d) && BigDecimal.valueOf(d).compareTo(written) == 0;
    }
    for (JsonNode child : node) {
      if (!numbersComparable(child)) return false;
    }
    return true;
  }

  /**
   * A pattern or event given as a JSON string is used as that text, so that event-ruler sees the exact characters
   * (Jackson would re-print numbers: 1.0000000000000001e300 as 1.0E300); one given as JSON is printed by Jackson.
   */
  private static String text(ObjectMapper mapper, JsonNode node) throws Exception {
    return node.isTextual() ? node.textValue() : mapper.writeValueAsString(node);
  }

  public static void main(String[] args) throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isBlank()) continue;
      ObjectNode answer = mapper.createObjectNode();
      try {
        JsonNode request = mapper.readTree(line);
        Machine machine = new Machine();
        machine.addRule("rule", text(mapper, request.get("pattern")));
        ArrayNode json = answer.putArray("json");
        ArrayNode event = answer.putArray("event");
        ArrayNode comparable = answer.putArray("comparable");
        for (JsonNode e : request.get("events")) {
          String text = text(mapper, e);
          json.add(!machine.rulesForJSONEvent(text).isEmpty());
          event.add(!machine.rulesForEvent(text).isEmpty());
          comparable.add(numbersComparable(DECIMALS.readTree(text)));
        }
      } catch (Exception e) {
        answer.removeAll();
        answer.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
      }
      out.println(mapper.writeValueAsString(answer));
      out.flush();
    }
  }
}
