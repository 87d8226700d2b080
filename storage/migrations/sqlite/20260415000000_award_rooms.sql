-- Award campaigns in chat: the room a campaign was opened in (where the schedule announces its
-- steps, reminders and results) and the tie-break seed Vigie drew for it. The seed's SHA-256 is
-- the commitment published when voting opens; the seed itself stays here, never in the state or
-- the audit log, until it is revealed when voting closes. Keep it in step with the other backend.

ALTER TABLE campaigns ADD COLUMN room TEXT;
ALTER TABLE campaigns ADD COLUMN tie_seed TEXT;
