package dev.virtualqueue.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.webhook.UrlVerdict.Allowed;
import dev.virtualqueue.webhook.UrlVerdict.Refused;
import io.vertx.core.http.RequestOptions;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The SSRF guard: a table of hostile URLs, good ones, and a DNS answer that changes. */
class UrlGuardTest {
  private static final Map<String, List<String>> DNS = Map.of(
      "hooks.example.com", List.of("93.184.216.34"),
      "v6.example.com", List.of("2606:4700:4700::1111"),
      "internal.example.com", List.of("10.1.2.3"),
      "loop.example.com", List.of("127.0.0.1"),
      "meta.example.com", List.of("169.254.169.254"),
      "mixed.example.com", List.of("93.184.216.34", "127.0.0.1"),
      "ula.example.com", List.of("fd12:3456::1"),
      "localhost", List.of("93.184.216.34"));

  private static final UrlGuard GUARD = new UrlGuard(UrlGuardTest::fakeDns, false);
  private static final UrlGuard PRIVATE_OK = new UrlGuard(UrlGuardTest::fakeDns, true);

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = ' ', value = {
      // loopback in every spelling glibc accepts
      "http://127.0.0.1/ webhook.url_forbidden",
      "http://127.1/ webhook.url_forbidden",
      "http://0x7f.1/ webhook.url_forbidden",
      "http://2130706433/ webhook.url_forbidden",
      "http://017700000001/ webhook.url_forbidden",
      "http://0x7f000001/ webhook.url_forbidden",
      "http://0177.0.0.1/ webhook.url_forbidden",
      "http://0x7f.0x0.0x0.0x1/ webhook.url_forbidden",
      "http://127.000.000.001:8080/x webhook.url_forbidden",
      "http://127.0.0.1./ webhook.url_forbidden",
      "http://[::1]/ webhook.url_forbidden",
      "http://[::ffff:127.0.0.1]/ webhook.url_forbidden",
      "http://[::ffff:7f00:1]/ webhook.url_forbidden",
      "http://[::127.0.0.1]/ webhook.url_forbidden",
      "http://[64:ff9b::7f00:1]/ webhook.url_forbidden",
      "http://[2002:7f00:1::]/ webhook.url_forbidden",
      "http://localhost:8080/ webhook.url_forbidden",
      "http://api.localhost/ webhook.url_forbidden",
      "https://loop.example.com/ webhook.url_forbidden",
      // private, CGNAT, link-local, metadata
      "http://10.0.0.1/ webhook.url_forbidden",
      "http://172.16.0.1/ webhook.url_forbidden",
      "http://172.31.255.255/ webhook.url_forbidden",
      "http://192.168.1.1/ webhook.url_forbidden",
      "http://100.64.0.1/ webhook.url_forbidden",
      "http://100.127.255.254/ webhook.url_forbidden",
      "http://169.254.169.254/latest/meta-data/ webhook.url_forbidden",
      "http://169.254.1.1/ webhook.url_forbidden",
      "http://[fd00:ec2::254]/ webhook.url_forbidden",
      "http://[::ffff:169.254.169.254]/ webhook.url_forbidden",
      "http://[::ffff:a00:1]/ webhook.url_forbidden",
      "http://[fc00::1]/ webhook.url_forbidden",
      "http://[fe80::1]/ webhook.url_forbidden",
      "http://198.18.0.1/ webhook.url_forbidden",
      "https://internal.example.com/ webhook.url_forbidden",
      "https://meta.example.com/ webhook.url_forbidden",
      "https://mixed.example.com/ webhook.url_forbidden",
      "https://ula.example.com/ webhook.url_forbidden",
      // not unicast at all
      "http://0.0.0.0/ webhook.url_forbidden",
      "http://0/ webhook.url_forbidden",
      "http://[::]/ webhook.url_forbidden",
      "http://255.255.255.255/ webhook.url_forbidden",
      "http://224.0.0.1/ webhook.url_forbidden",
      "http://[ff02::1]/ webhook.url_forbidden",
      // malformed, wrong scheme, userinfo, port
      "ftp://hooks.example.com/ webhook.url_invalid",
      "file:///etc/passwd webhook.url_invalid",
      "gopher://hooks.example.com/ webhook.url_invalid",
      "javascript:alert(1) webhook.url_invalid",
      "hooks.example.com/x webhook.url_invalid",
      "http:///nohost webhook.url_invalid",
      "http://user:pass@hooks.example.com/ webhook.url_invalid",
      "http://hooks.example.com@127.0.0.1/ webhook.url_invalid",
      "http://hooks.example.com:0/ webhook.url_invalid",
      "http://hooks.example.com:65536/ webhook.url_invalid",
      "http://hooks.example.com:-1/ webhook.url_invalid",
      "http://hooks.example.com:/ webhook.url_invalid",
      "http://%31%32%37.0.0.1/ webhook.url_invalid",
      "http://[fe80::1%25eth0]/ webhook.url_invalid",
      "http://[::1/ webhook.url_invalid",
      "http://256.0.0.1/ webhook.url_invalid",
      "http://1.2.3.4.5/ webhook.url_invalid",
      "http://127.+1/ webhook.url_invalid",
      "http://0x/ webhook.url_invalid",
      "http://08.0.0.1/ webhook.url_invalid",
      "http://hooks.example.123/ webhook.url_invalid",
      "http://１２７.０.０.１/ webhook.url_invalid",
      "http://hooks_-.example.com-/ webhook.url_invalid",
      "http://nowhere.example.com/ webhook.url_unresolvable"})
  void refusesHostileUrls(String url, String code) {
    UrlVerdict v = GUARD.check(url);
    assertThat(v).as(url).isInstanceOf(Refused.class);
    assertThat(((Refused) v).code()).as(url).isEqualTo(code);
    assertThat(((Refused) v).reason()).isNotBlank();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = ' ', value = {
      "https://hooks.example.com/vq 93.184.216.34 hooks.example.com 443 /vq",
      "https://Hooks.Example.COM./a?b=1&c=%20 93.184.216.34 hooks.example.com 443 /a?b=1&c=%20",
      "http://hooks.example.com:8080 93.184.216.34 hooks.example.com 8080 /",
      "http://8.8.8.8/hook 8.8.8.8 8.8.8.8 80 /hook",
      "http://0x08080808/h#frag 8.8.8.8 8.8.8.8 80 /h",
      "https://[2606:4700:4700::1111]:8443/x 2606:4700:4700:0:0:0:0:1111 2606:4700:4700::1111 8443 /x",
      "https://v6.example.com/ 2606:4700:4700:0:0:0:0:1111 v6.example.com 443 /"})
  void allowsPublicUrlsAndPinsTheAddress(String url, String address, String host, int port, String target) {
    UrlVerdict v = GUARD.check(url);
    assertThat(v).as(url).isInstanceOf(Allowed.class);
    Allowed a = (Allowed) v;
    assertThat(a.address().getHostAddress()).isEqualTo(address);
    assertThat(a.url().host()).isEqualTo(host);
    assertThat(a.url().port()).isEqualTo(port);
    assertThat(a.url().target()).isEqualTo(target);
    assertThat(UrlGuard.syntax(url)).isEmpty();
  }

  @Test
  void aChangingDnsAnswerCannotMoveTheConnection() {
    List<String> answers = new ArrayList<>(List.of("93.184.216.34", "127.0.0.1"));
    AtomicInteger lookups = new AtomicInteger();
    UrlGuard guard = new UrlGuard(host -> {
      lookups.incrementAndGet();
      return List.of(InetAddress.getByName(answers.remove(0)));
    }, false);
    Allowed allowed = (Allowed) guard.check("https://rebind.example.com/hook");
    RequestOptions options = allowed.requestOptions();
    assertThat(lookups).hasValue(1);
    assertThat(options.getServer().toString()).contains("93.184.216.34").doesNotContain("127.0.0.1");
    assertThat(options.getHost()).isEqualTo("rebind.example.com");
    assertThat(options.getPort()).isEqualTo(443);
    assertThat(options.isSsl()).isTrue();
    assertThat(options.getURI()).isEqualTo("/hook");
    assertThat(options.getFollowRedirects()).isFalse();
    // the name now points at loopback: a second check sees it, the pinned options do not
    assertThat(guard.check("https://rebind.example.com/hook")).isInstanceOf(Refused.class);
    assertThat(lookups).hasValue(2);
  }

  @Test
  void anIpv6LiteralIsBracketedInTheHostHeader() {
    Allowed v6 = (Allowed) GUARD.check("https://[2606:4700:4700::1111]:8443/x");
    assertThat(v6.requestOptions().getHost()).isEqualTo("[2606:4700:4700::1111]");
    assertThat(v6.url().hostHeader()).isEqualTo("[2606:4700:4700::1111]:8443");
    assertThat(((Allowed) GUARD.check("https://hooks.example.com/")).url().hostHeader())
        .isEqualTo("hooks.example.com");
  }

  @Test
  void numericHostsAreNeverSentToDns() {
    UrlGuard guard = new UrlGuard(host -> {
      throw new AssertionError("looked up " + host);
    }, true);
    for (String url : List.of("http://127.1/", "http://2130706433/", "http://[::1]/", "http://0x7f.1/")) {
      assertThat(guard.check(url)).as(url).isInstanceOf(Allowed.class);
      assertThat(((Allowed) guard.check(url)).address().isLoopbackAddress()).isTrue();
    }
  }

  @Test
  void allowingPrivateNetworksLiftsTheRangeCheckButNotTheNonUnicastOrMetadata() {
    for (String url : List.of("http://127.0.0.1:9000/", "http://10.1.2.3/", "http://[::1]/", "http://172.20.0.5/",
        "http://192.168.0.10/", "http://100.64.1.1/", "https://ula.example.com/", "http://[fe80::1]/",
        "http://loop.example.com/")) {
      assertThat(PRIVATE_OK.check(url)).as(url).isInstanceOf(Allowed.class);
    }
    for (String url : List.of("http://0.0.0.0/", "http://[::]/", "http://255.255.255.255/", "http://224.0.0.1/",
        "http://169.254.169.254/", "http://[fd00:ec2::254]/", "http://[ff02::1]/", "http://meta.example.com/")) {
      assertThat(PRIVATE_OK.check(url)).as(url).isInstanceOf(Refused.class);
    }
  }

  @Test
  void theSyntaxCheckAloneNeedsNoDns() {
    assertThat(UrlGuard.syntax("https://nowhere.example.com/x")).isEmpty();
    assertThat(UrlGuard.syntax("ftp://x.example.com/")).get().extracting(Refused::code)
        .isEqualTo(UrlGuard.INVALID);
    assertThat(UrlGuard.syntax("http://" + "a".repeat(UrlGuard.MAX_LENGTH) + ".com/")).isPresent();
    assertThat(UrlGuard.syntax(null)).isPresent();
  }

  private static List<InetAddress> fakeDns(String host) throws UnknownHostException {
    List<String> answer = DNS.get(host);
    if (answer == null) {
      throw new UnknownHostException(host);
    }
    List<InetAddress> out = new ArrayList<>();
    for (String a : answer) {
      out.add(InetAddress.getByName(a));
    }
    return out;
  }
}
