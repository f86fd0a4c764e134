package io.spawnwatch.control;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The wire format: one JSON object per line in each direction.
 *
 * <pre>
 * request  {"v":1,"id":7,"cmd":"rules.show","args":{"id":"web-shell"}}
 * answer   {"v":1,"id":7,"ok":true,"result":{...}}
 *          {"v":1,"id":7,"error":{"code":"not_found","message":"...","details":[...]}}
 * stream   {"v":1,"id":7,"stream":{...ECS document...}}
 *          {"v":1,"id":7,"notice":{"code":"dropped","count":120,"total":120,"message":"..."}}
 * </pre>
 *
 * Every request gets exactly one answer (ok or error). A stream request gets
 * its stream and notice lines first and its answer last, when the stream ends.
 * See docs/control-protocol.md.
 */
public final class Protocol {
    /** The protocol version this side speaks. */
    public static final int VERSION = 1;
    /** The default longest request line, newline excluded. */
    public static final int DEFAULT_MAX_LINE = 64 * 1024;

    /** Reads requests and writes answers: strict on input, snake_case for records on output. */
    public static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .build();

    private static final byte[] STREAM_HEAD = "{\"v\":1,\"id\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STREAM_MID = ",\"stream\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LINE_END = "}\n".getBytes(StandardCharsets.US_ASCII);

    private Protocol() {}

    /** {"v":1,"id":..,"ok":true,"result":..}\n */
    static byte[] ok(JsonNode id, Object result) {
        ObjectNode line = head(id);
        line.put("ok", true);
        line.set("result", JSON.valueToTree(result));
        return toLine(line);
    }

    /** {"v":1,"id":..,"error":{"code":..,"message":..[,"details":[..]]}}\n */
    static byte[] error(JsonNode id, ErrorCode code, String message, List<String> details) {
        ObjectNode line = head(id);
        ObjectNode error = line.putObject("error");
        error.put("code", code.wire());
        error.put("message", message);
        if (!details.isEmpty()) {
            ArrayNode d = error.putArray("details");
            details.forEach(d::add);
        }
        return toLine(line);
    }

    /** {"v":1,"id":..,"notice":{"code":"dropped",...}}\n */
    static byte[] droppedNotice(JsonNode id, long count, long total, int capacity, String kind) {
        ObjectNode line = head(id);
        ObjectNode notice = line.putObject("notice");
        notice.put("code", "dropped");
        notice.put("count", count);
        notice.put("total", total);
        notice.put("message", count + " " + kind + " dropped: this client reads more slowly than the sensor publishes"
                + " (queue capacity=" + capacity + ", total dropped=" + total + ")");
        return toLine(line);
    }

    /** The bytes before an ECS document in a stream line: {"v":1,"id":<id>,"stream": */
    static byte[] streamPrefix(JsonNode id) {
        byte[] idJson = compact(id);
        byte[] out = new byte[STREAM_HEAD.length + idJson.length + STREAM_MID.length];
        System.arraycopy(STREAM_HEAD, 0, out, 0, STREAM_HEAD.length);
        System.arraycopy(idJson, 0, out, STREAM_HEAD.length, idJson.length);
        System.arraycopy(STREAM_MID, 0, out, STREAM_HEAD.length + idJson.length, STREAM_MID.length);
        return out;
    }

    /** The bytes after the document: }\n */
    static byte[] streamSuffix() {
        return LINE_END;
    }

    private static ObjectNode head(JsonNode id) {
        ObjectNode line = JsonNodeFactory.instance.objectNode();
        line.put("v", VERSION);
        line.set("id", id == null ? NullNode.instance : id);
        return line;
    }

    private static byte[] compact(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node == null ? NullNode.instance : node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + node, e);
        }
    }

    private static byte[] toLine(ObjectNode node) {
        byte[] json = compact(node);
        byte[] line = new byte[json.length + 1];
        System.arraycopy(json, 0, line, 0, json.length);
        line[json.length] = '\n';
        return line;
    }
}
