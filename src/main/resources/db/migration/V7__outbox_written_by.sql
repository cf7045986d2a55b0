-- Which hub instance wrote an outbox row: each instance relays its own rows first, and adopts
-- another's only when they have waited too long (docs/outbox.md). Rows from before this column
-- (NULL) are anyone's.
ALTER TABLE outbox_message ADD COLUMN written_by VARCHAR(200);
