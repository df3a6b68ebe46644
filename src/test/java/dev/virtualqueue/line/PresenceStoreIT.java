package dev.virtualqueue.line;

import static dev.virtualqueue.testing.Redis.command;
import static dev.virtualqueue.testing.Redis.deleteKeys;
import static org.assertj.core.api.Assertions.assertThat;

import dev.virtualqueue.testing.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The presence store against the real Redis, at the size of a full server: one heartbeat of
 * 12,000 sockets (more than the client's waiting-handler limit would allow as one command each).
 */
class PresenceStoreIT {
  private Vertx vertx;
  private Redis redis;
  private String prefix;

  @BeforeEach
  void open() {
    vertx = Vertx.vertx();
    // as in production: at most 4,000 commands may wait on one connection
    redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(TestServer.REDIS_URL)
        .setMaxWaitingHandlers(4_000));
    prefix = "vqpresence" + UUID.randomUUID().toString().substring(0, 8);
  }

  @AfterEach
  void close() {
    deleteKeys(TestServer.REDIS_URL, prefix + ":*");
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void aHeartbeatOfTwelveThousandSocketsIsAFewCommandsAndTheyAllCountAsPresent() throws Exception {
    PresenceStore presence = new PresenceStore(new LineStore(redis, new LineKeys(prefix)), 60);
    List<String> ids = new ArrayList<>();
    List<UUID> uuids = new ArrayList<>();
    for (int i = 0; i < 12_000; i++) {
      UUID id = UUID.randomUUID();
      uuids.add(id);
      ids.add(id.toString());
    }
    await(presence.touch(ids, true));
    await(presence.touch(ids, false));
    assertThat(await(presence.absent(uuids.subList(0, 3_000)))).isEmpty();
    String card = command(TestServer.REDIS_URL, "ZCARD", presence.liveKey());
    assertThat(card).isEqualTo("12000");
  }

  @Test
  void absentMeansSeenLiveAndNoLongerConnected() throws Exception {
    PresenceStore shortLived = new PresenceStore(new LineStore(redis, new LineKeys(prefix)), 1);
    UUID left = UUID.randomUUID();
    UUID stays = UUID.randomUUID();
    UUID neverSeen = UUID.randomUUID();
    await(shortLived.touch(List.of(left.toString(), stays.toString()), true));
    assertThat(await(shortLived.absent(List.of(left, stays, neverSeen)))).isEmpty();

    Thread.sleep(1_200);
    await(shortLived.touch(List.of(stays.toString()), false)); // the heartbeat of the socket still open
    Set<UUID> absent = await(shortLived.absent(List.of(left, stays, neverSeen)));
    assertThat(absent).containsExactly(left);
    // the heartbeat dropped the run-out entry, and absence does not depend on it still being there
    assertThat(command(TestServer.REDIS_URL, "ZSCORE", shortLived.liveKey(),
        left.toString())).isNull();
  }
}
