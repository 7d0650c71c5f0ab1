-- Regions of the ARS hierarchy, contacts assigned to them, services and postcodes.
-- Channels and opening hours are stored as JSON text in the shape of the wire types.

CREATE TABLE regions (
    ars     TEXT PRIMARY KEY CHECK (length(ars) = 12),
    name    TEXT NOT NULL,
    level   TEXT NOT NULL,
    in_115  INTEGER            -- 1 yes, 0 no, NULL inherit
);

CREATE TABLE services (
    leika   TEXT PRIMARY KEY CHECK (length(leika) = 14),
    name    TEXT NOT NULL
);

CREATE TABLE contacts (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    level       TEXT NOT NULL,
    region_ars  TEXT NOT NULL REFERENCES regions (ars),
    is_115      INTEGER NOT NULL DEFAULT 0,
    channels    TEXT NOT NULL,
    hours       TEXT NOT NULL
);
CREATE INDEX contacts_region ON contacts (region_ars);

CREATE TABLE contact_services (
    contact_id  TEXT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    leika       TEXT NOT NULL,
    PRIMARY KEY (contact_id, leika)
);

CREATE TABLE postcodes (
    plz  TEXT NOT NULL CHECK (length(plz) = 5),
    ars  TEXT NOT NULL REFERENCES regions (ars),
    PRIMARY KEY (plz, ars)
);
