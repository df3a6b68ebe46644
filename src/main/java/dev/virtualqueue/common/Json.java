package dev.virtualqueue.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.stream.Collectors;

/**
 * The one JSON mapper: strict on input (unknown fields, wrong types, duplicate keys, deep
 * nesting and huge numbers are refused) and ISO-8601 on output.
 */
public final class Json {
  public static final int MAX_DEPTH = 16;

  public static final ObjectMapper MAPPER = build();

  private Json() {
  }

  private static ObjectMapper build() {
    JsonFactory factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(MAX_DEPTH).maxStringLength(64 * 1024).maxNumberLength(32).build())
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();
    JsonMapper mapper = JsonMapper.builder(factory)
        .addModule(new JavaTimeModule())
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .serializationInclusion(JsonInclude.Include.NON_NULL)
        .build();
    for (LogicalType type : new LogicalType[] {LogicalType.Textual, LogicalType.Integer,
        LogicalType.Float, LogicalType.Boolean}) {
      mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    }
    return mapper;
  }

  /** Reads a request body into a record, turning every parse problem into a 400. */
  public static <T> T read(Buffer body, Class<T> type) {
    if (body == null || body.length() == 0) {
      throw new ApiException.BadRequest("request.body_missing", "A JSON body is required.");
    }
    try {
      T value = MAPPER.readValue(body.getBytes(), type);
      if (value == null) {
        throw new ApiException.BadRequest("request.body_missing", "A JSON object is required.");
      }
      return value;
    } catch (UnrecognizedPropertyException e) {
      throw new ApiException.BadRequest("request.unknown_field",
          "Unknown field '" + e.getPropertyName() + "'.");
    } catch (MismatchedInputException e) {
      throw new ApiException.BadRequest("request.wrong_type",
          "Field '" + path(e) + "' has the wrong type or shape.");
    } catch (JsonProcessingException e) {
      throw malformed(e);
    } catch (IOException | IllegalArgumentException e) {
      throw new ApiException.BadRequest("request.malformed_json", "The body could not be read.");
    }
  }

  /**
   * Jackson's own messages name its classes, features to enable and source positions: the client
   * gets a plain sentence and where reading stopped instead.
   */
  private static ApiException malformed(JsonProcessingException e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof ApiException api) {
        return api; // a record's own check, wrapped by the mapper
      }
      if (c instanceof StreamConstraintsException) {
        return new ApiException.BadRequest("request.malformed_json", "The body is nested deeper than " + MAX_DEPTH
            + " levels or holds a number or text that is too long.");
      }
    }
    JsonLocation at = e.getLocation();
    String where = at == null || at.getLineNr() < 1 ? ""
        : " (reading stopped at line " + at.getLineNr() + ", character " + Math.max(at.getColumnNr(), 1) + ")";
    String what = e instanceof JsonEOFException ? "The body ends before its JSON is complete"
        : "The body is not valid JSON";
    return new ApiException.BadRequest("request.malformed_json", what + where + ".");
  }

  private static String path(MismatchedInputException e) {
    String p = e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining("."));
    return p.isEmpty() ? "(body)" : p;
  }

  /** Serialises a value as text (a WebSocket text message: no detour through bytes). */
  public static String writeString(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass(), e);
    }
  }

  /** Serialises a value for a response. */
  public static Buffer write(Object value) {
    try {
      return Buffer.buffer(MAPPER.writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass(), e);
    }
  }
}
