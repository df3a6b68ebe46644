package dev.virtualqueue.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The messages to ticket holders: both parts, links, headers, overrides, and escaping. */
@ExtendWith(VertxExtension.class)
class MailTemplatesTest {
  private static final UUID ID = UUID.fromString("5a1c2e3d-4b5a-4c6d-8e7f-901a2b3c4d5e");
  private static final MailLinks LINKS = new MailLinks("https://q.example.com/", new byte[32]);
  private static final MailTemplates TEMPLATES = new MailTemplates(LINKS);
  private static final MailTicket ANNA = new MailTicket(ID, "A042", "Anna", "acme", "front-desk", "Front desk");

  @ParameterizedTest
  @EnumSource(MailKind.class)
  void everyKindHasBothPartsTheLinksAndTheUnsubscribeHeaders(MailKind kind) {
    RenderedMail m = TEMPLATES.render(new MailRequest(kind, ANNA, "Counter 3", 2, 6, MailText.DEFAULT, "tok"));
    String stop = LINKS.stop(ID);
    assertThat(stop).startsWith("https://q.example.com/notifications/stop?t=" + ID + "&s=");
    assertThat(m.subject()).isNotBlank().doesNotContain("{");
    assertThat(m.text()).contains("Hello Anna,", "Front desk", stop).doesNotContain("<p>", "{{", "{queue}");
    assertThat(m.html()).startsWith("<!DOCTYPE html>").contains("<p>Hello Anna,</p>", "Front desk",
        "href=\"" + stop.replace("&", "&amp;") + "\"").doesNotContain("{{");
    assertThat(m.headers()).containsEntry("List-Unsubscribe", "<" + stop + ">")
        .containsEntry("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
        .containsEntry("Auto-Submitted", "auto-generated");
    String live = "https://q.example.com/q/acme/front-desk";
    assertThat(m.text()).contains(kind == MailKind.NO_SHOW ? live : live + "#t=" + ID + ".tok");
  }

  @Test
  void eachKindSaysItsOwnThing() {
    assertThat(render(MailKind.JOINED).text()).startsWith("Hello Anna,\n\nThank you for joining the line at Front desk."
        + " Your ticket is A042.\n\nYour ticket: A042\n\nFollow your place in line: ");
    assertThat(render(MailKind.JOINED).subject()).isEqualTo("You are in line at Front desk: ticket A042");
    RenderedMail called = render(MailKind.CALLED);
    assertThat(called.subject()).isEqualTo("Ticket A042: please go to Counter 3");
    assertThat(called.text()).contains("Ticket A042 -> Counter 3");
    assertThat(called.html()).contains("A042 &rarr; Counter 3");
    RenderedMail almost = render(MailKind.ALMOST_TURN);
    assertThat(almost.text()).contains("\n\nYour ticket: A042\nPeople ahead of you: 2\nEstimated wait: about 6 min\n\n"
        + "Follow your place in line: https://q.example.com/q/acme/front-desk#t=" + ID + ".tok\n\n--\n");
    assertThat(almost.html()).contains("<strong>2</strong>", "<strong>6 min</strong>");
    assertThat(render(MailKind.NO_SHOW).text()).contains("could not find you", "Join the line again")
        .doesNotContain("#t=");
    assertThat(render(MailKind.ADMITTED).text()).contains("You can now enter Front desk", "Continue:");
  }

  @Test
  void withoutANameOrAnEtaThePartsStillRead() {
    MailTicket anon = new MailTicket(ID, "B007", null, "acme", "front-desk", "Front desk");
    RenderedMail m = TEMPLATES.render(new MailRequest(MailKind.ALMOST_TURN, anon, null, 4, null, null, null));
    assertThat(m.text()).startsWith("Hello,\n").contains("People ahead of you: 4").doesNotContain("Estimated");
    assertThat(m.html()).contains("<p>Hello,</p>").doesNotContain("Estimated");
    assertThat(m.text()).contains("https://q.example.com/q/acme/front-desk\n").doesNotContain("#t=");
  }

  @Test
  void aQueueCanOverrideSubjectAndIntroWithPlaceholders() {
    MailText text = MailText.of("{code}: your table at {queue} is ready", "Dear {name}, head to {counter}.");
    RenderedMail m = TEMPLATES.render(new MailRequest(MailKind.CALLED, ANNA, "the terrace", null, null, text, null));
    assertThat(m.subject()).isEqualTo("A042: your table at Front desk is ready");
    assertThat(m.text()).contains("Dear Anna, head to the terrace.").doesNotContain("It is your turn");
    assertThat(m.html()).contains("<title>A042: your table at Front desk is ready</title>");
    MailText subjectOnly = MailText.of("Hi", null);
    assertThat(TEMPLATES.render(MailRequest.of(MailKind.CALLED, ANNA, subjectOnly)).text())
        .contains("It is your turn at Front desk");
  }

  @Test
  void everyUserSuppliedValueIsEscapedInHtml() {
    MailTicket hostile = new MailTicket(ID, "A001", "<script>alert(1)</script>", "acme", "front-desk",
        "\"><img src=x onerror=alert(2)>");
    MailText text = new MailText("<i>{name}</i>", "<b onclick=\"x()\">Hi</b> {queue}");
    RenderedMail m = TEMPLATES.render(new MailRequest(MailKind.CALLED, hostile, "<u>3</u>", null, null, text, null));
    assertThat(m.html()).doesNotContain("<script", "<img", "<b onclick", "<i>", "<u>")
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;", "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;",
            "&lt;b onclick=&quot;x()&quot;&gt;Hi&lt;/b&gt;", "&lt;u&gt;3&lt;/u&gt;");
    assertThat(m.text()).contains("Hello <script>alert(1)</script>,");
    // a value that looks like a placeholder is inserted as it is, never expanded again
    MailTicket sneaky = new MailTicket(ID, "A002", "{queue}", "acme", "front-desk", "{name}");
    MailText greet = new MailText(null, "{name} at {queue}");
    assertThat(TEMPLATES.render(MailRequest.of(MailKind.JOINED, sneaky, greet)).text()).contains("{queue} at {name}");
  }

  @Test
  void aSubjectStaysOneHeaderLine() {
    MailText text = new MailText("Hi\r\nBcc: victim@example.com\u2028x", null);
    RenderedMail m = TEMPLATES.render(MailRequest.of(MailKind.JOINED, ANNA, text));
    assertThat(m.subject()).isEqualTo("Hi Bcc: victim@example.com x").doesNotContain("\r", "\n");
    MailText longOne = new MailText("x".repeat(500), null);
    assertThat(TEMPLATES.render(MailRequest.of(MailKind.JOINED, ANNA, longOne)).subject()).hasSize(200);
  }

  @Test
  void theFutureFormCanBeCalledFromAnEventLoop(Vertx vertx) {
    AtomicReference<Boolean> onEventLoop = new AtomicReference<>();
    RenderedMail m = vertx.getOrCreateContext().<Void>executeBlocking(() -> null)
        .compose(x -> {
          onEventLoop.set(Context.isOnEventLoopThread());
          return new MailTemplates(LINKS).render(vertx, MailRequest.of(MailKind.JOINED, ANNA, null));
        })
        .await();
    assertThat(onEventLoop.get()).as("called from the event loop").isTrue();
    assertThat(m.text()).contains("A042");
  }

  private static RenderedMail render(MailKind kind) {
    return TEMPLATES.render(new MailRequest(kind, ANNA, "Counter 3", 2, 6, MailText.DEFAULT, "tok"));
  }
}
