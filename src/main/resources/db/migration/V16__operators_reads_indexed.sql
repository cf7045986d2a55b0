-- What operators read every few seconds, served by an index instead of by reading the gate's whole
-- history: the confirmations each agency still owes (BusinessMetrics, each Prometheus scrape) read
-- every required agency ever recorded, and the operator page's most recently changed cargo units
-- (CargoUnitQueries.recent) sorted every cargo unit ever declared on each refresh. Each costs one
-- more index entry per confirmation and per cargo unit step.
CREATE INDEX required_agency_status ON required_agency (status, agency);
CREATE INDEX cargo_unit_recent ON cargo_unit (updated_at DESC, id DESC);
