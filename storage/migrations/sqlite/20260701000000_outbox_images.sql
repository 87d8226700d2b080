-- A message of the outbox may carry a picture posted after its text (award results with their
-- chart): the PNG, the file name people see, and its alt text. The three are set together or
-- not at all. Keep it column-for-column in step with the other backend.
ALTER TABLE outbox ADD COLUMN image_png BLOB;
ALTER TABLE outbox ADD COLUMN image_name TEXT;
ALTER TABLE outbox ADD COLUMN image_alt TEXT;
