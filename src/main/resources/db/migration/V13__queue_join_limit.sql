-- A queue's own per-address join limit (issue 15: per-queue overrides of the join limiter);
-- NULL: the server's rateLimit.join. {"burst": n, "perMinute": m}
ALTER TABLE queues ADD COLUMN join_limit jsonb;
