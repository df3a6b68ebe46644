package dev.virtualqueue.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class's WebSocket client for the live ticket sockets of a {@link TestServer}: its own Vert.x
 * instance, opened before the class's tests and closed after them. Register it as a static field next
 * to the server ({@code @RegisterExtension static final TicketSockets sockets = new TicketSockets(server)}).
 */
public final class TicketSockets implements BeforeAllCallback, AfterAllCallback {
  private final TestServer server;
  private Vertx vertx;
  private WebSocketClient client;

  public TicketSockets(TestServer server) {
    this.server = server;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    vertx = Vertx.vertx();
    client = LiveClient.client(vertx);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  /** Opens the live socket of a ticket as the join answered it ({@code id} and {@code token}). */
  public LiveClient open(JsonObject ticket) {
    return LiveClient.connect(client, server.app().httpPort(), "/ws/tickets/" + ticket.getString("id") + "?token="
        + ticket.getString("token"));
  }
}
