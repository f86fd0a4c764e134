package io.spawnwatch.fleet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/**
 * Group keys as compact JSON arrays of strings ({@code ["/usr/bin/dash","/var/www","/usr/sbin/nginx"]}): one
 * unambiguous byte string per tuple whatever the values contain, readable in Kafka's tools, and the same on
 * every instance of the job (the key decides the partition).
 */
public final class GroupKeys {
    private static final ObjectMapper JSON = new ObjectMapper();

    private GroupKeys() {}

    public static String of(String... values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a string array always serialises", e);
        }
    }

    /** The values of a key made by {@link #of}. */
    public static List<String> values(String key) {
        try {
            return List.of(JSON.readValue(key, String[].class));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a group key: " + key, e);
        }
    }
}
