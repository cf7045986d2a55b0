-- An outbox row is settled in the transaction that keeps its receipt or makes it a dead letter: the
-- outbox depth (hub_outbox_depth) counts the open rows through an index, instead of matching every
-- message ever sent against its receipts on each read (docs/operations.md).
ALTER TABLE outbox_message ADD COLUMN settled_at TIMESTAMP WITH TIME ZONE;
UPDATE outbox_message SET settled_at = CURRENT_TIMESTAMP
    WHERE EXISTS (SELECT 1 FROM outbound_delivery d WHERE d.message_id = outbox_message.message_id)
       OR EXISTS (SELECT 1 FROM dead_letter l WHERE l.message_id = outbox_message.message_id);
CREATE INDEX outbox_message_open ON outbox_message (settled_at, party);
