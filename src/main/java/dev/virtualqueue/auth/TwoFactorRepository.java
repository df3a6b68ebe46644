package dev.virtualqueue.auth;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** SQL for staff_totp, staff_recovery_codes and the tenants' two-factor requirement (V12). */
final class TwoFactorRepository {
  private static final String UPSERT_PENDING = "INSERT INTO staff_totp (staff_id, tenant_id, secret_sealed)"
      + " SELECT s.id, s.tenant_id, $3 FROM staff_users s WHERE s.tenant_id = $1 AND s.id = $2"
      + " ON CONFLICT (staff_id) DO UPDATE SET secret_sealed = excluded.secret_sealed, created_at = now(),"
      + " last_step = 0 WHERE staff_totp.enabled_at IS NULL";
  private static final String ACCEPT_STEP = "UPDATE staff_totp SET last_step = $3, enabled_at = coalesce(enabled_at,"
      + " CASE WHEN $4 THEN now() END) WHERE tenant_id = $1 AND staff_id = $2 AND last_step < $3"
      + " AND (enabled_at IS NOT NULL) = NOT $4";
  private static final String SPEND_CODE = "UPDATE staff_recovery_codes r SET used_at = now() FROM staff_users s"
      + " WHERE r.staff_id = s.id AND s.tenant_id = $1 AND r.staff_id = $2 AND r.code_hash = $3 AND r.used_at IS NULL";

  /** An authenticator as stored: sealed secret, whether it is on, the last accepted step. */
  record Stored(String sealedSecret, boolean enabled, long lastStep) {
  }

  private final Pool pool;

  TwoFactorRepository(Pool pool) {
    this.pool = pool;
  }

  /** The account's authenticator, or null when it has none. */
  Future<Stored> find(UUID tenantId, UUID staffId) {
    return pool.preparedQuery("SELECT secret_sealed, enabled_at IS NOT NULL, last_step FROM staff_totp"
            + " WHERE tenant_id = $1 AND staff_id = $2").execute(Tuple.of(tenantId, staffId))
        .map(rs -> {
          if (rs.size() == 0) {
            return null;
          }
          Row r = rs.iterator().next();
          return new Stored(r.getString(0), r.getBoolean(1), r.getLong(2));
        });
  }

  /** Stores a new pending secret (replacing a pending one); false when 2FA is already on. */
  Future<Boolean> savePending(UUID tenantId, UUID staffId, String sealedSecret) {
    return pool.preparedQuery(UPSERT_PENDING).execute(Tuple.of(tenantId, staffId, sealedSecret))
        .map(rs -> rs.rowCount() == 1);
  }

  /**
   * Records {@code step} as the last accepted one if it is later than the stored one: the code is
   * fresh. With {@code confirming}, only a pending authenticator matches and it is switched on;
   * otherwise only an enabled one matches. False: a replay, or no such authenticator.
   */
  Future<Boolean> acceptStep(UUID tenantId, UUID staffId, long step, boolean confirming) {
    return pool.preparedQuery(ACCEPT_STEP).execute(Tuple.of(tenantId, staffId, step, confirming))
        .map(rs -> rs.rowCount() == 1);
  }

  /** Replaces the account's recovery codes with {@code hashes}. */
  Future<Void> replaceRecoveryCodes(UUID staffId, List<byte[]> hashes) {
    List<Tuple> rows = new ArrayList<>();
    hashes.forEach(h -> rows.add(Tuple.of(staffId, h)));
    return pool.withTransaction(tx -> tx.preparedQuery("DELETE FROM staff_recovery_codes WHERE staff_id = $1")
        .execute(Tuple.of(staffId))
        .compose(v -> tx.preparedQuery("INSERT INTO staff_recovery_codes (staff_id, code_hash) VALUES ($1, $2)")
            .executeBatch(rows))
        .mapEmpty());
  }

  /** Spends recovery code {@code hash} of the account; false when it is unknown or spent already. */
  Future<Boolean> spendRecoveryCode(UUID tenantId, UUID staffId, byte[] hash) {
    return pool.preparedQuery(SPEND_CODE).execute(Tuple.of(tenantId, staffId, hash)).map(rs -> rs.rowCount() == 1);
  }

  /** Unspent recovery codes of the account. */
  Future<Integer> recoveryCodesLeft(UUID staffId) {
    return pool.preparedQuery("SELECT count(*) FROM staff_recovery_codes WHERE staff_id = $1 AND used_at IS NULL")
        .execute(Tuple.of(staffId)).map(rs -> rs.iterator().next().getInteger(0));
  }

  /** Turns 2FA off for the account: its authenticator and recovery codes are deleted. */
  Future<Void> delete(UUID tenantId, UUID staffId) {
    return pool.withTransaction(tx -> tx.preparedQuery("DELETE FROM staff_totp WHERE tenant_id = $1 AND staff_id = $2")
        .execute(Tuple.of(tenantId, staffId))
        .compose(v -> tx.preparedQuery("DELETE FROM staff_recovery_codes WHERE staff_id = $1").execute(
            Tuple.of(staffId)))
        .mapEmpty());
  }

  /** The roles the tenant requires 2FA for. */
  Future<List<String>> requiredFor(UUID tenantId) {
    return pool.preparedQuery("SELECT require_two_factor FROM tenants WHERE id = $1").execute(Tuple.of(tenantId))
        .map(rs -> rs.size() == 0 ? List.of() : List.of(rs.iterator().next().getArrayOfStrings(0)));
  }

  /** Sets the roles the tenant requires 2FA for. */
  Future<Void> setRequiredFor(UUID tenantId, List<String> roles) {
    return pool.preparedQuery("UPDATE tenants SET require_two_factor = $2 WHERE id = $1")
        .execute(Tuple.of(tenantId).addArrayOfString(roles.toArray(new String[0]))).mapEmpty();
  }
}
