-- The operators' list of dead letters, newest first, a page at a time, by status or all
-- (DeadLetters.page): each page read through an index instead of sorting every letter ever kept.
CREATE INDEX dead_letter_status_newest ON dead_letter (status, id);
DROP INDEX dead_letter_status;
