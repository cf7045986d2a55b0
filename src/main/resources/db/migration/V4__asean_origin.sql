-- ATIGA e-Form D certificates and ASEAN Customs Declaration Documents received from the ASEAN Single Window.
CREATE TABLE origin_certificate (
    certificate_number VARCHAR(64)  NOT NULL PRIMARY KEY,
    issuing_country    VARCHAR(2)   NOT NULL,
    hs_subheadings     VARCHAR(400) NOT NULL,
    message_id         VARCHAR(64)  NOT NULL,
    received_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    document           BYTEA        NOT NULL
);

CREATE TABLE asean_customs_declaration (
    acdd_reference      VARCHAR(64)  NOT NULL PRIMARY KEY,
    certificate_numbers VARCHAR(400),
    message_id          VARCHAR(64)  NOT NULL,
    received_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    document            BYTEA        NOT NULL
);

-- A goods item that claims preferential (ATIGA) origin, and whether its certificate is there and covers it.
CREATE TABLE origin_claim (
    cargo_unit_id      VARCHAR(20)  NOT NULL REFERENCES cargo_unit (id),
    item_sequence      INT          NOT NULL,
    certificate_number VARCHAR(64)  NOT NULL,
    hs_subheading      VARCHAR(6)   NOT NULL,
    status             VARCHAR(16)  NOT NULL,
    acdd_reference     VARCHAR(64),
    PRIMARY KEY (cargo_unit_id, item_sequence)
);
CREATE INDEX origin_claim_certificate ON origin_claim (certificate_number);
