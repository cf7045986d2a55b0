-- The seals (and GPS e-seals) on a cargo unit's containers, so that a seal event finds its cargo unit.
CREATE TABLE cargo_unit_seal (
    cargo_unit_id    VARCHAR(20) NOT NULL REFERENCES cargo_unit (id),
    seal_number      VARCHAR(20) NOT NULL,
    container_number VARCHAR(11),
    PRIMARY KEY (cargo_unit_id, seal_number)
);
CREATE INDEX cargo_unit_seal_number ON cargo_unit_seal (seal_number);
