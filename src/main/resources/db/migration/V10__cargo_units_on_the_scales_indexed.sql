-- The leader polls its weighbridges twice a second for the cargo units that have arrived on a lane
-- (CargoUnitWorkflow.awaitingWeighing). Without an index every poll read every cargo unit ever
-- declared, pre-declaration documents and all: a cost that grew with the gate's history (6 % of the
-- hub's CPU by 10,000 cargo units in the crash test, docs/performance.md).
CREATE INDEX cargo_unit_awaiting ON cargo_unit (state, updated_at);
