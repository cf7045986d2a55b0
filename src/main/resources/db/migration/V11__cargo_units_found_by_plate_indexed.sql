-- A gate event finds its open cargo unit by the plate its camera read, compared without spaces, dots
-- and dashes (CargoUnitWorkflow.normalizedPlate). Compared as an expression over vehicle_plate, no
-- index could serve it: every plate read scanned every cargo unit ever declared, a cost that grew
-- with the gate's history (docs/performance.md, session 20). The plate is now kept normalized beside
-- it, written with the cargo unit, and indexed; the index on vehicle_plate itself served no query.
ALTER TABLE cargo_unit ADD COLUMN vehicle_plate_key VARCHAR(24);
UPDATE cargo_unit SET vehicle_plate_key = UPPER(REPLACE(REPLACE(REPLACE(vehicle_plate, '-', ''), '.', ''), ' ', ''));
CREATE INDEX cargo_unit_vehicle_plate_key ON cargo_unit (vehicle_plate_key, created_at);
DROP INDEX cargo_unit_vehicle_plate;
