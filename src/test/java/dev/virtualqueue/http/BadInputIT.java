package dev.virtualqueue.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.RawHttp;
import dev.virtualqueue.testing.Resp;
import dev.virtualqueue.testing.Staff;
import dev.virtualqueue.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A table of hostile bodies: each gets a 4xx problem+json with a code, never a 5xx, and changes nothing. */
class BadInputIT {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  static Staff staff;
  static String queueId;

  @BeforeAll
  static void start() {
    staff = server.tenant("bad");
    queueId = staff.queue("line").getString("id");
  }

  record Case(String name, String method, String path, byte[] body, boolean staffAuth, String contentType) {
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String deep(int depth) {
    return "{\"name\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
  }

  @Test
  void malformedBodiesAreRefusedWithProblemDetails() {
    long ticketsBefore = server.count("SELECT count(*) FROM tickets");
    long queuesBefore = server.count("SELECT count(*) FROM queues");
    for (Case c : malformedCases()) {
      Resp r = send(c);
      assertThat(r.status()).as("%s: %s", c.name(), r).isBetween(400, 499);
      assertThat(r.contentType()).as(c.name()).startsWith("application/problem+json");
      assertThat(r.json().getString("code")).as(c.name()).isNotBlank();
      assertThat(r.json().getInteger("status")).as(c.name()).isEqualTo(r.status());
    }
    assertThat(server.count("SELECT count(*) FROM tickets")).isEqualTo(ticketsBefore);
    assertThat(server.count("SELECT count(*) FROM queues")).isEqualTo(queuesBefore);
    // and the server still serves
    assertThat(staff.join("line").getLong("position")).isEqualTo(1);
  }

  private static Resp send(Case c) {
    List<String> headers = new ArrayList<>();
    if (c.staffAuth()) {
      headers.addAll(List.of("Authorization", "Bearer " + staff.token()));
    }
    if (c.contentType() != null) {
      headers.addAll(List.of("Content-Type", c.contentType()));
    }
    if (c.name().equals("bad idempotency key")) {
      headers.addAll(List.of("Idempotency-Key", "x".repeat(300)));
    }
    return server.send(c.method(), server.base() + c.path(), c.body(), headers.toArray(String[]::new));
  }

  private static List<Case> malformedCases() {
    String join = "/api/v1/public/bad/queues/line/tickets";
    String queues = "/api/v1/queues";
    return List.of(
        new Case("wrong type", "POST", join, utf8("{\"name\":42}"), false, null),
        new Case("wrong type bool", "POST", queues, utf8("{\"slug\":\"x1\",\"name\":\"X\",\"capacity\":\"ten\"}"), true, null),
        new Case("unknown field", "POST", join, utf8("{\"nmae\":\"Ann\"}"), false, null),
        new Case("missing field", "POST", queues, utf8("{\"name\":\"No slug\"}"), true, null),
        new Case("not an object", "POST", join, utf8("[1,2,3]"), false, null),
        new Case("null body", "POST", queues, utf8("null"), true, null),
        new Case("truncated", "POST", join, utf8("{\"name\":\"Ann\""), false, null),
        new Case("trailing garbage", "POST", join, utf8("{\"name\":\"Ann\"} x"), false, null),
        new Case("duplicate key", "POST", join, utf8("{\"name\":\"a\",\"name\":\"b\"}"), false, null),
        new Case("deep nesting", "POST", join, utf8(deep(5000)), false, null),
        new Case("nesting over limit", "POST", queues, utf8("{\"slug\":\"d1\",\"name\":\"D\",\"openingHours\":{\"timezone\":\"UTC\",\"weekly\":{\"mon\":"
            + "[".repeat(40) + "]".repeat(40) + "}}}"), true, null),
        new Case("NUL in text", "POST", join, utf8("{\"name\":\"Ann\\u0000Bob\"}"), false, null),
        new Case("raw NUL byte", "POST", join, new byte[] {'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', 0, '"', '}'}, false, null),
        new Case("invalid UTF-8", "POST", join, new byte[] {'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}, false, null),
        new Case("lone surrogate", "POST", join, utf8("{\"name\":\"\\uD800\"}"), false, null),
        new Case("oversized", "POST", join, utf8("{\"name\":\"" + "x".repeat(200_000) + "\"}"), false, null),
        new Case("overlong name", "POST", join, utf8("{\"name\":\"" + "x".repeat(101) + "\"}"), false, null),
        new Case("bad email", "POST", join, utf8("{\"email\":\"not-an-email\"}"), false, null),
        new Case("unknown priority", "POST", join, utf8("{\"priority\":\"vip\"}"), false, null),
        new Case("huge number", "POST", queues, utf8("{\"slug\":\"n1\",\"name\":\"N\",\"capacity\":" + "9".repeat(400) + "}"), true, null),
        new Case("float for int", "POST", queues, utf8("{\"slug\":\"n2\",\"name\":\"N\",\"capacity\":1.5}"), true, null),
        new Case("bad enum", "POST", queues, utf8("{\"slug\":\"n3\",\"name\":\"N\",\"mode\":\"disco\"}"), true, null),
        new Case("bad slug", "POST", queues, utf8("{\"slug\":\"Not A Slug\",\"name\":\"N\"}"), true, null),
        new Case("bad timezone", "POST", queues, utf8("{\"slug\":\"n4\",\"name\":\"N\",\"openingHours\":{\"timezone\":\"Mars/Base\",\"weekly\":{}}}"), true, null),
        new Case("not json content type", "POST", join, utf8("name=Ann"), false, "application/x-www-form-urlencoded"),
        new Case("bad transfer id", "POST", "/api/v1/tickets/00000000-0000-0000-0000-000000000000/transfer", utf8("{\"queueId\":\"nope\"}"), true, null),
        new Case("malformed path id", "GET", "/api/v1/queues/not-a-uuid", null, true, null),
        new Case("bad limit", "GET", "/api/v1/queues/" + queueId + "/tickets?limit=100000", null, true, null),
        new Case("bad cursor", "GET", "/api/v1/queues/" + queueId + "/tickets?cursor=not!base64", null, true, null),
        new Case("bad idempotency key", "POST", join, utf8("{}"), false, "application/json"),
        new Case("unknown route", "GET", "/api/v1/nowhere", null, false, null),
        new Case("wrong method", "PUT", "/api/v1/queues", utf8("{}"), true, null));
  }

  /** Each of these reached a decoder or Postgres and was answered 500 (22021, IllegalArgumentException). */
  @Test
  void malformedEscapesAndCursorsAre400WithACode() throws Exception {
    String tickets = "/api/v1/queues/" + queueId + "/tickets";
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("/api/v1/queues?limit=%", "request.malformed_query");
    cases.put("/api/v1/queues?limit=%2", "request.malformed_query");
    cases.put("/api/v1/queues?a=%zz", "request.malformed_query");
    cases.put(tickets + "?cursor=%", "request.malformed_query");
    cases.put("/api/v1/queues/%zz", "request.malformed_path");
    cases.put("/api/v1/public/bad/queues/l%zzine", "request.malformed_path");
    cases.put("/api/v1/queues?cursor=%00", "request.invalid_cursor");
    cases.put("/api/v1/queues?cursor=a%01b", "request.invalid_cursor");
    cases.put("/api/v1/staff?cursor=%00", "request.invalid_cursor");
    cases.put("/api/v1/api-keys?cursor=%00", "request.invalid_cursor");
    cases.put(tickets + "?cursor=%00", "request.invalid_cursor");
    cases.put("/api/v1/queues?cursor=%ED%A0%80", "request.invalid_cursor"); // an encoded lone surrogate
    for (Map.Entry<String, String> c : cases.entrySet()) {
      Resp r = RawHttp.send(server.app().httpPort(), "GET", c.getKey(), null, 10_000,
          "Authorization", "Bearer " + staff.token());
      assertThat(r.status()).as("%s: %s", c.getKey(), r).isEqualTo(400);
      assertThat(r.contentType()).as(c.getKey()).startsWith("application/problem+json");
      assertThat(r.json().getString("code")).as(c.getKey()).isEqualTo(c.getValue());
    }
    // the same routes with well-formed escapes still answer
    assertThat(staff.call("GET", "/api/v1/queues?limit=%31").status()).isEqualTo(200);
    assertThat(staff.call("GET", "/api/v1/queues?cursor=a%2Db").status()).isEqualTo(200);
  }

  @Test
  void onlyJsonMediaTypesAreReadAsJson() {
    staff.queue("media");
    String join = "/api/v1/public/bad/queues/media/tickets";
    for (String type : List.of("application/jsonx", "application/json-seq", "text/plain", "application/xjson",
        "application/+json", "text/json")) {
      Resp r = server.send("POST", server.base() + join, utf8("{}"), "Content-Type", type);
      assertThat(r.status()).as("%s: %s", type, r).isEqualTo(415);
      assertThat(r.json().getString("code")).isEqualTo("request.unsupported_media_type");
    }
    // form bodies were decoded by the body handler: on a GET that threw (500), on a POST a malformed form was a 400
    for (String type : List.of("application/x-www-form-urlencoded", "multipart/form-data",
        "multipart/form-data; boundary=zz", "Multipart/Mixed")) {
      for (String method : List.of("GET", "POST", "DELETE")) {
        Resp r = server.send(method, server.base() + (method.equals("POST") ? join : "/api/v1/queues"),
            utf8("a=%zz&b=%&c"), "Content-Type", type, "Authorization", "Bearer " + staff.token());
        assertThat(r.status()).as("%s %s: %s", method, type, r).isEqualTo(415);
        assertThat(r.json().getString("code")).isEqualTo("request.unsupported_media_type");
      }
    }
    for (String type : List.of("application/json", "application/json; charset=utf-8", "Application/JSON",
        "application/vnd.virtualqueue+json", "application/merge-patch+json ; charset=UTF-8")) {
      Resp r = server.send("POST", server.base() + join, utf8("{}"), "Content-Type", type);
      assertThat(r.status()).as("%s: %s", type, r).isEqualTo(201);
    }
  }

  @Test
  void aWrongMethodOnAKnownPathIs405WithAllow() {
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("PUT /api/v1/queues", "GET, POST");
    cases.put("DELETE /api/v1/queues/" + queueId, "GET, PATCH");
    cases.put("GET /api/v1/queues/" + queueId + "/display-key", "DELETE, POST");
    cases.put("POST /api/v1/openapi.json", "GET");
    cases.put("DELETE /api/v1/auth/login", "POST");
    cases.forEach((request, allow) -> {
      String[] mp = request.split(" ");
      Resp r = staff.call(mp[0], mp[1], mp[0].equals("GET") || mp[0].equals("DELETE") ? null : "{}");
      assertThat(r.status()).as("%s: %s", request, r).isEqualTo(405);
      assertThat(r.header("Allow")).as(request).isEqualTo(allow);
      assertThat(r.contentType()).startsWith("application/problem+json");
      assertThat(r.json().getString("code")).isEqualTo("route.method_not_allowed");
    });
    assertThat(staff.call("GET", "/api/v1/nowhere").status()).isEqualTo(404);
    assertThat(staff.call("GET", "/api/v1/queues/" + queueId + "/nowhere").status()).isEqualTo(404);
  }

  /** The parser's own words name its classes, features and source positions: the client gets a plain sentence. */
  @Test
  void jsonErrorsAreToldPlainly() {
    String join = "/api/v1/public/bad/queues/line/tickets";
    List<String> bodies = List.of("{'name':'Ann'}", "{\"name\":NaN}", "{\"name\":\"a\u0001b\"}", "{\"name\":01}",
        "{\"name\":\"Ann\"", "{\"name\" \"Ann\"}", "{\"name\":\"\\q\"}", "{name:1}", "[", "{\"name\":tru}",
        "{\"name\":" + "[".repeat(40) + "]".repeat(40) + "}", "{\"name\":\"Ann\"} {}", "\u0000");
    for (String body : bodies) {
      Resp r = server.http("POST", join, body);
      assertThat(r.status()).as("%s: %s", body, r).isEqualTo(400);
      String detail = r.json().getString("detail");
      assertThat(detail).as(body).isNotBlank()
          .doesNotContain("JsonReadFeature", "JsonParser", "StreamReadConstraints", "com.fasterxml", "jackson", "line: ",
              "column: ", "Source:", "REDACTED", "`", "(code ", "CTRL-CHAR", "dev.virtualqueue", "java.");
    }
  }

  @Test
  void oversizedBodyIs413() {
    Resp r = server.http("POST", "/api/v1/public/bad/queues/line/tickets", "{\"name\":\"" + "x".repeat(100_000) + "\"}");
    assertThat(r.status()).isEqualTo(413);
    assertThat(r.json().getString("code")).isEqualTo("request.too_large");
  }
}
