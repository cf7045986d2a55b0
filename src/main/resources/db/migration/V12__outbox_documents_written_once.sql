-- An outbox message's row is updated twice after it is written (relayed_at, then settled_at). While
-- the row held the document (1 to 5 KB, kept in the row), each update wrote the whole document again
-- on PostgreSQL: to the write-ahead log every commit waits for, and as a dead row version that
-- autovacuum then read back and cleaned, the whole table each minute under load, while every
-- commit of the hub waited behind its writes (docs/performance.md, session 21). The document now has
-- a table of its own, written once with the message and never updated.
CREATE TABLE outbox_document (
    message_id VARCHAR(64) NOT NULL PRIMARY KEY REFERENCES outbox_message (message_id) ON DELETE CASCADE,
    document   BYTEA       NOT NULL
);
INSERT INTO outbox_document (message_id, document) SELECT message_id, document FROM outbox_message;
ALTER TABLE outbox_message DROP COLUMN document;
