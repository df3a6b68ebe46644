-- An integration opens counters with its API key, but counters.opened_by references staff_users, so
-- that insert broke the foreign key (23503). An API key opener gets its own column and foreign key;
-- at most one of the two is set (neither when the server itself or nobody opened it).
ALTER TABLE counters ADD COLUMN opened_by_api_key uuid REFERENCES api_keys(id) ON DELETE SET NULL;
ALTER TABLE counters ADD CONSTRAINT counters_one_opener CHECK (opened_by IS NULL OR opened_by_api_key IS NULL);
