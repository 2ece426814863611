package io.tinyfit.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tinyfit.tflite.AtomicFiles;

import java.nio.file.Path;
import java.util.Map;

/** Writes tinyfit's JSON documents (SCHEMA.md, "tinyfit/1"), atomically. */
public final class Json {
    public static final String SCHEMA = "tinyfit/1";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {}

    public static String toString(Map<String, Object> doc) {
        try {
            return MAPPER.writeValueAsString(doc);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void write(Map<String, Object> doc, Path file) {
        AtomicFiles.writeString(file, toString(doc) + "\n");
    }

    public static ObjectMapper mapper() { return MAPPER; }
}
