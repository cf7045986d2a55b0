-- PostgreSQL only. Since V17 nothing finds outbox messages by their relayed or settled time: they
-- are read by seq, messageId or cargo unit, keys whose plans no refresh of statistics changes, and
-- the table keeps every message the hub ever sent, like the archive tables of V14. Its analyses at
-- every tenth of growth (about a second of reading each, on the benchmark's young database) fell in
-- the slowest seconds of session 26's runs U and W at 80 % of the peak (docs/performance.md).
ALTER TABLE outbox_message SET (autovacuum_analyze_scale_factor = 1.0);
