-- What the relay and the outbox depth look for, the rows not yet relayed and those not yet settled,
-- in two small tables of their own: a row is added with its message and deleted when relayed or
-- settled. Found through indexes on outbox_message's relayed_at and settled_at before, each of a
-- message's two updates wrote the row and all four of its index entries again; autovacuum then read
-- those four indexes whole in every round, a table that keeps every message the hub ever sent, a
-- round that grew with the history and held the slowest deliveries of a benchmark run
-- (docs/performance.md, session 25). outbox_message keeps both times, now updated in place where
-- the page has room (PostgreSQL's HOT updates, db/postgresql V18), and no index on either.
CREATE TABLE outbox_unrelayed (
    seq           BIGINT       NOT NULL PRIMARY KEY REFERENCES outbox_message (seq) ON DELETE CASCADE,
    cargo_unit_id VARCHAR(20),
    written_by    VARCHAR(200),
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
INSERT INTO outbox_unrelayed (seq, cargo_unit_id, written_by, created_at)
    SELECT seq, cargo_unit_id, written_by, created_at FROM outbox_message WHERE relayed_at IS NULL;
CREATE INDEX outbox_unrelayed_writer ON outbox_unrelayed (written_by, cargo_unit_id);

CREATE TABLE outbox_unsettled (
    message_id VARCHAR(64) NOT NULL PRIMARY KEY REFERENCES outbox_message (message_id) ON DELETE CASCADE,
    party      VARCHAR(40) NOT NULL
);
INSERT INTO outbox_unsettled (message_id, party) SELECT message_id, party FROM outbox_message WHERE settled_at IS NULL;

DROP INDEX outbox_message_pending;
DROP INDEX outbox_message_open;
