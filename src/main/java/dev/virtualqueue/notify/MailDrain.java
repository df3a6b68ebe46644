package dev.virtualqueue.notify;

import dev.virtualqueue.events.OutboxStore.Claimed;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains outbox channel {@code mail} in batches: claims due rows (SKIP LOCKED, with a lease, so
 * several processes share the work) and handles them one after the other. A failed send is retried
 * with exponential backoff (10 s doubling, at most 30 min) for about a day, then given up; once the
 * mail server proved unreachable, the rest of the batch waits for the next round without trying.
 */
final class MailDrain {
  private static final Logger LOG = LoggerFactory.getLogger(MailDrain.class);
  static final String CHANNEL = "mail";
  static final int BATCH = 10;
  static final Duration LEASE = Duration.ofSeconds(60);
  /** No new row is started after this much of the lease is gone (a send may take 30 s more). */
  static final Duration START_WITHIN = Duration.ofSeconds(20);
  static final Duration FIRST_RETRY = Duration.ofSeconds(10);
  static final Duration MAX_RETRY = Duration.ofMinutes(30);
  static final Duration GIVE_UP_AFTER = Duration.ofHours(24);
  private final Mailing m;
  private final TicketMailer holders;
  private final OwnerMailer owners;
  private final AlmostTurnScan almost;

  MailDrain(Mailing m, AlmostTurnScan almost) {
    this.m = m;
    this.holders = new TicketMailer(m);
    this.owners = new OwnerMailer(m);
    this.almost = almost;
  }

  /** One batch; resolves to the number of rows claimed (a full batch: call again). */
  Future<Integer> drainOnce() {
    return m.outbox().claim(CHANNEL, BATCH, LEASE).compose(rows -> {
      long deadline = System.currentTimeMillis() + START_WITHIN.toMillis();
      boolean[] smtpDown = {false};
      Future<Void> chain = Future.succeededFuture();
      for (Claimed row : rows) {
        chain = chain.compose(v -> {
          if (smtpDown[0] || System.currentTimeMillis() > deadline) {
            // not tried: released for the next round, without counting an attempt
            return m.outbox().defer(row.seq(), Instant.now().plus(smtpDown[0] ? FIRST_RETRY : Duration.ZERO));
          }
          return safely(row).recover(e -> failed(row, e, smtpDown)).recover(e -> {
            // the store itself failed: the row's lease runs out and it is claimed again
            LOG.warn("mail outbox row {} left for a later round: {}", row.seq(), String.valueOf(e));
            return Future.succeededFuture();
          });
        });
      }
      return chain.map(rows.size());
    });
  }

  /** {@link #process}, with a thrown exception as a failed future (one row never stops the batch). */
  private Future<Void> safely(Claimed row) {
    try {
      return process(row);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private Future<Void> process(Claimed row) {
    if (MailRows.WEBHOOK_DISABLED.equals(row.type())) {
      return owners.handle(row);
    }
    Future<Void> line = MailRows.movesLine(row.type()) && row.queueId() != null ? almost.scan(row.queueId())
        : Future.succeededFuture();
    MailKind kind = MailRows.holderKind(row.type());
    return line.compose(v -> kind == null || row.ticketId() == null ? m.outbox().done(row.seq())
        : holders.handle(row, kind));
  }

  private Future<Void> failed(Claimed row, Throwable e, boolean[] smtpDown) {
    if (!(e instanceof SendFailure f)) {
      LOG.warn("mail outbox row {} ({}) failed, retrying: {}", row.seq(), row.type(), String.valueOf(e));
      return m.outbox().retryLater(row.seq(), backoff(row.attempts()), String.valueOf(e));
    }
    String reason = f.reason();
    m.metrics().failed(reason);
    smtpDown[0] = reason.equals("smtp_unreachable") || reason.equals("timeout");
    boolean permanent = reason.equals("invalid_address");
    if (permanent || Duration.between(row.occurredAt(), Instant.now()).compareTo(GIVE_UP_AFTER) > 0) {
      LOG.warn("giving up {} mail of outbox row {} after {} attempts: {} ({})", f.kind(), row.seq(),
          row.attempts() + 1, reason, f.getMessage());
      m.metrics().failed("gave_up");
      return giveUp(row, f);
    }
    LOG.info("{} mail of outbox row {} not sent ({}: {}), retry {}", f.kind(), row.seq(), reason, f.getMessage(),
        row.attempts() + 1);
    return m.outbox().retryLater(row.seq(), backoff(row.attempts()), reason + ": " + f.getMessage());
  }

  private Future<Void> giveUp(Claimed row, SendFailure f) {
    if (f.ticketId() == null) {
      return m.outbox().done(row.seq());
    }
    return m.store().pool().withTransaction(tx -> m.store().finish(tx, f.ticketId(), f.kind(), f.tenantId(), "failed")
        .compose(v -> m.outbox().done(tx, row.seq())));
  }

  /** 10 s, 20 s, 40 s, ... at most 30 min, after {@code attempts} earlier failures. */
  static Duration backoff(int attempts) {
    long seconds = FIRST_RETRY.toSeconds() << Math.min(attempts, 20);
    return Duration.ofSeconds(Math.min(seconds, MAX_RETRY.toSeconds()));
  }
}
