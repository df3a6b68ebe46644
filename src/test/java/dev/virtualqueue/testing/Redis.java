package dev.virtualqueue.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A tiny blocking Redis helper for test set-up and fault injection (RESP over a socket). */
public final class Redis {
  private Redis() {
  }

  /** Sends one command and returns the raw first reply line(s) (enough for status and integers). */
  public static String command(String url, String... args) {
    URI u = URI.create(url);
    try (Socket s = new Socket(u.getHost(), u.getPort() > 0 ? u.getPort() : 6379)) {
      OutputStream out = s.getOutputStream();
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      String db = u.getPath() == null || u.getPath().length() <= 1 ? null : u.getPath().substring(1);
      if (db != null) {
        write(out, "SELECT", db);
        in.readLine();
      }
      write(out, args);
      return read(in);
    } catch (Exception e) {
      throw new IllegalStateException("redis " + String.join(" ", args), e);
    }
  }

  /** Deletes every key matching a pattern. */
  public static void deleteKeys(String url, String pattern) {
    String script = "local n = 0 for _, k in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('DEL', k) n = n + 1 end return n";
    command(url, "EVAL", script, "0", pattern);
  }

  private static void write(OutputStream out, String... args) throws IOException {
    StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
    for (String a : args) {
      byte[] b = a.getBytes(StandardCharsets.UTF_8);
      sb.append('$').append(b.length).append("\r\n").append(a).append("\r\n");
    }
    out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static String read(BufferedReader in) throws IOException {
    String line = in.readLine();
    if (line == null) {
      return null;
    }
    switch (line.charAt(0)) {
      case '$' -> {
        return Integer.parseInt(line.substring(1)) < 0 ? null : in.readLine();
      }
      case '*' -> {
        int n = Integer.parseInt(line.substring(1));
        List<String> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          items.add(read(in));
        }
        return String.join(",", items);
      }
      default -> {
        return line.substring(1);
      }
    }
  }
}
