-- Every partner message the edge admitted, keyed by messageId: the idempotency ledger.
-- state RECEIVED: archived, not yet confirmed on its queue; ACCEPTED: on its queue, receipt sent.
CREATE TABLE inbound_message (
    message_id      VARCHAR(64)  NOT NULL PRIMARY KEY,
    document_sha256 VARCHAR(44)  NOT NULL,
    message_type    VARCHAR(40)  NOT NULL,
    sender          VARCHAR(40)  NOT NULL,
    state           VARCHAR(16)  NOT NULL,
    received_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    receipt         BYTEA
);

-- Tamper-evident archive: each entry carries the hash of the one before it.
CREATE TABLE audit_log (
    seq                 BIGINT       NOT NULL PRIMARY KEY,
    message_id          VARCHAR(64),
    direction           VARCHAR(8)   NOT NULL,
    party               VARCHAR(40),
    message_type        VARCHAR(40),
    recorded_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    document_sha256     VARCHAR(44)  NOT NULL,
    previous_entry_hash VARCHAR(44)  NOT NULL,
    entry_hash          VARCHAR(44)  NOT NULL,
    document            BYTEA        NOT NULL
);

-- One row: the head of the chain. Updating it serializes appends across hub instances.
CREATE TABLE audit_chain_head (
    id              INT          NOT NULL PRIMARY KEY,
    last_seq        BIGINT       NOT NULL,
    last_entry_hash VARCHAR(44)  NOT NULL
);
INSERT INTO audit_chain_head (id, last_seq, last_entry_hash) VALUES (1, 0, 'GENESIS');
