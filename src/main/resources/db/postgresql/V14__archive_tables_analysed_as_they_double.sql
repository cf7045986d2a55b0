-- PostgreSQL only (db/postgresql, quarkus.flyway.locations; Flyway reads a location's subfolders too): H2 has no autovacuum.
-- The tables that keep what the hub received, sent and decided grow by appending and are read only
-- by their key or their cargo unit, so their statistics need no refresh at every tenth of growth
-- (PostgreSQL's default, autovacuum_analyze_scale_factor 0.1). A young database grows by most of
-- these tables' size between two autovacuum rounds and analysed each of them every minute, and
-- those analyses were most of autovacuum's CPU and held most of the hub's slowest deliveries at 80 %
-- of its peak (docs/performance.md, session 24). Analysed once they have doubled since the last
-- analysis; vacuumed for their new pages as before. The queue and state tables (outbox_message,
-- audit_pending, cargo_unit, required_agency) keep the default: their queries choose plans by it.
ALTER TABLE inbound_message SET (autovacuum_analyze_scale_factor = 1.0);
ALTER TABLE processed_message SET (autovacuum_analyze_scale_factor = 1.0);
ALTER TABLE audit_log SET (autovacuum_analyze_scale_factor = 1.0);
ALTER TABLE audit_document SET (autovacuum_analyze_scale_factor = 1.0);
ALTER TABLE outbox_document SET (autovacuum_analyze_scale_factor = 1.0);
ALTER TABLE outbound_delivery SET (autovacuum_analyze_scale_factor = 1.0);
ALTER TABLE timeline_event SET (autovacuum_analyze_scale_factor = 1.0);
ALTER TABLE agency_selection SET (autovacuum_analyze_scale_factor = 1.0);
