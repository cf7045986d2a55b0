-- A workflow transaction relays, as it commits, every unrelayed row of the cargo units it wrote to
-- (OutboxRelay.relayAtCommit): found by cargo unit, in the order written. A partner away for
-- minutes leaves thousands of rows here.
CREATE INDEX outbox_unrelayed_cargo_unit ON outbox_unrelayed (cargo_unit_id, seq);
