-- Every server keeps in memory which tenants have enabled webhook endpoints for which types
-- (events/WebhookInterest), so a change in a tenant without endpoints skips the webhook outbox CTE.
-- Any change of an endpoint, by whatever path, tells every server to reload: NOTIFY is sent at
-- commit, and only then.
CREATE FUNCTION webhook_interest_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('vq_webhook_interest', OLD.tenant_id::text);
  ELSE
    PERFORM pg_notify('vq_webhook_interest', NEW.tenant_id::text);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER webhook_interest_changed
  AFTER INSERT OR DELETE OR UPDATE OF tenant_id, events, enabled ON webhook_endpoints
  FOR EACH ROW EXECUTE FUNCTION webhook_interest_notify();
