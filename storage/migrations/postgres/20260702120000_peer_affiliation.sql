-- What automatic recusal in award campaigns compares with a nominee: the peer's country
-- (ISO 3166-1 alpha-2, upper case) and organisation, both optional.
-- Keep it column-for-column in step with the other backend.

ALTER TABLE peers ADD COLUMN country TEXT COLLATE "C";
ALTER TABLE peers ADD COLUMN organisation TEXT COLLATE "C";
