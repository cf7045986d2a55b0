-- An audit entry's document was written twice: with the entry, into audit_pending, by the admission
-- or delivery, and again into audit_log when the chainer linked the entry, a copy of each document
-- the hub receives or sends; on PostgreSQL both were written to the log every commit waits for
-- (docs/performance.md, session 23). Documents now have a table of their own, keyed by their
-- SHA-256 (which each entry already records and the chain's hashes cover), written once by the
-- business transaction; the chainer links entries without touching their documents. A document
-- archived twice (the same bytes sent again) is kept once.
CREATE TABLE audit_document (
    document_sha256 VARCHAR(44) NOT NULL PRIMARY KEY,
    document        BYTEA       NOT NULL
);
INSERT INTO audit_document (document_sha256, document)
    SELECT a.document_sha256, a.document FROM audit_log a
    WHERE a.seq IN (SELECT MIN(seq) FROM audit_log GROUP BY document_sha256);
INSERT INTO audit_document (document_sha256, document)
    SELECT p.document_sha256, p.document FROM audit_pending p
    WHERE p.id IN (SELECT MIN(id) FROM audit_pending GROUP BY document_sha256)
      AND NOT EXISTS (SELECT 1 FROM audit_document d WHERE d.document_sha256 = p.document_sha256);
ALTER TABLE audit_log DROP COLUMN document;
ALTER TABLE audit_pending DROP COLUMN document;
