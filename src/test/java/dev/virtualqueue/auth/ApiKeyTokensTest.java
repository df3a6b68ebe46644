package dev.virtualqueue.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeyTokensTest {

  @Test
  void keysHaveTheDocumentedShapeAndAreUnique() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      ApiKeyTokens.Generated g = ApiKeyTokens.generate();
      assertThat(g.key()).matches("vq_[a-z2-7]{10}_[a-z2-7]{40}").startsWith("vq_" + g.prefix() + "_");
      assertThat(ApiKeyTokens.prefixOf(g.key())).isEqualTo(g.prefix());
      assertThat(seen.add(g.prefix())).isTrue();
    }
  }

  @Test
  void malformedKeysHaveNoPrefix() {
    String good = ApiKeyTokens.generate().key();
    assertThat(ApiKeyTokens.prefixOf(null)).isNull();
    assertThat(ApiKeyTokens.prefixOf("vq_")).isNull();
    assertThat(ApiKeyTokens.prefixOf(good + "a")).isNull();
    assertThat(ApiKeyTokens.prefixOf(good.toUpperCase())).isNull();
    assertThat(ApiKeyTokens.prefixOf(good.replace('_', '-'))).isNull();
    assertThat(ApiKeyTokens.prefixOf("vq_abcdefghij_" + "1".repeat(40))).isNull(); // 1 is not base32
  }

  @Test
  void onlyTheExactKeyMatchesItsHash() {
    String key = ApiKeyTokens.generate().key();
    byte[] hash = ApiKeyTokens.hash(key);
    assertThat(hash).hasSize(32);
    assertThat(ApiKeyTokens.matches(key, hash)).isTrue();
    char last = key.charAt(key.length() - 1);
    String other = key.substring(0, key.length() - 1) + (last == 'a' ? 'b' : 'a');
    assertThat(ApiKeyTokens.matches(other, hash)).isFalse();
  }

  @Test
  void bearerHeaderParsing() {
    assertThat(AuthHandler.bearer("Bearer abc")).isEqualTo("abc");
    assertThat(AuthHandler.bearer("bearer   abc  ")).isEqualTo("abc");
    assertThat(AuthHandler.bearer(null)).isNull();
    assertThat(AuthHandler.bearer("Bearer ")).isNull();
    assertThat(AuthHandler.bearer("Bearer    ")).isNull();
    assertThat(AuthHandler.bearer("Basic dXNlcjpwdw==")).isNull();
    assertThat(AuthHandler.bearer("Bearerabc")).isNull();
  }
}
