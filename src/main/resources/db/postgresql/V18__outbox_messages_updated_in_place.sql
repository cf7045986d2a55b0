-- PostgreSQL only. An outbox message's row is updated twice, relayed and settled, neither time in
-- an indexed column (V17): PostgreSQL then writes the new version on the same page without new
-- index entries (a HOT update), if the page has room. Pages filled to 70 % keep that room.
ALTER TABLE outbox_message SET (fillfactor = 70);
