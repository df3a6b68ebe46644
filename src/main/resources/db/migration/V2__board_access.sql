-- Display boards of a queue are public unless the queue requires a display key.
ALTER TABLE queues ADD COLUMN board_public boolean NOT NULL DEFAULT true;
ALTER TABLE queues ADD COLUMN display_key_hash bytea;
-- How long a called person who is not connected is held / given before the absent policy acts.
ALTER TABLE queues ADD COLUMN absent_policy jsonb;
-- Display boards read the latest calls of a queue.
CREATE INDEX ticket_events_queue_calls ON ticket_events (queue_id, id) WHERE action IN ('call', 'recall');
