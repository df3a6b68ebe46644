package dev.virtualqueue.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 request over a plain socket, sent exactly as given: for request targets that
 * {@code java.net.URI} refuses to build ({@code ?limit=%}, {@code /%zz}) and raw header values.
 * The server answers with a fixed length or chunks; either is read, then the socket is closed.
 */
public final class RawHttp {
  private RawHttp() {
  }

  /** Sends {@code method target} with the given headers (name/value pairs) and body; waits at most {@code timeoutMillis}. */
  public static Resp send(int port, String method, String target, byte[] body, int timeoutMillis, String... headers)
      throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(timeoutMillis);
      StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Connection: close\r\n");
      for (int i = 0; i < headers.length; i += 2) {
        head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
      }
      if (body != null) {
        head.append("Content-Length: ").append(body.length).append("\r\n");
      }
      head.append("\r\n");
      s.getOutputStream().write(head.toString().getBytes(StandardCharsets.UTF_8));
      if (body != null) {
        s.getOutputStream().write(body);
      }
      s.getOutputStream().flush();
      return read(s.getInputStream());
    }
  }

  private static Resp read(InputStream in) throws IOException {
    String statusLine = line(in);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String h = line(in); !h.isEmpty(); h = line(in)) {
      int colon = h.indexOf(':');
      headers.computeIfAbsent(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(h.substring(colon + 1).trim());
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    List<String> length = headers.get("content-length");
    if (length != null) {
      body.write(in.readNBytes(Integer.parseInt(length.get(0))));
    } else if (headers.getOrDefault("transfer-encoding", List.of()).contains("chunked")) {
      for (int size = Integer.parseInt(line(in).split(";")[0].trim(), 16); size > 0;
           size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) {
        body.write(in.readNBytes(size));
        line(in);
      }
    } else {
      body.write(in.readAllBytes());
    }
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    return new Resp(status, headers, body.toString(StandardCharsets.UTF_8));
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("connection closed mid-response: " + out.toString(StandardCharsets.ISO_8859_1));
      }
      if (c != '\r') {
        out.write(c);
      }
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }
}
