-- Regions of the ARS hierarchy, services, contacts assigned to regions, and postcodes.
-- Lists (channels, hours, exceptions, languages) and the address are JSON text in the shape of
-- the exchange format (server/src/dataset.rs).

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
    id                  TEXT PRIMARY KEY,
    name                TEXT NOT NULL,
    level               TEXT NOT NULL,
    region_ars          TEXT NOT NULL REFERENCES regions (ars),
    is_115              INTEGER NOT NULL DEFAULT 0,
    channels            TEXT NOT NULL,
    hours               TEXT NOT NULL,
    exceptions          TEXT NOT NULL DEFAULT '[]',
    closes_on_holidays  INTEGER NOT NULL DEFAULT 1,
    address             TEXT,
    languages           TEXT NOT NULL DEFAULT '[]',
    mailbox             TEXT
);
CREATE INDEX contacts_region ON contacts (region_ars);

CREATE TABLE contact_services (
    contact_id  TEXT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    leika       TEXT NOT NULL REFERENCES services (leika),
    PRIMARY KEY (contact_id, leika)
);

CREATE TABLE postcodes (
    plz  TEXT NOT NULL CHECK (length(plz) = 5),
    ars  TEXT NOT NULL REFERENCES regions (ars),
    PRIMARY KEY (plz, ars)
);

-- The Bund and the 16 Länder are always present; everything below comes by import.
INSERT INTO regions (ars, name, level, in_115) VALUES
    ('000000000000', 'Bundesrepublik Deutschland', 'bund', NULL),
    ('010000000000', 'Schleswig-Holstein', 'land', NULL),
    ('020000000000', 'Freie und Hansestadt Hamburg', 'land', NULL),
    ('030000000000', 'Niedersachsen', 'land', NULL),
    ('040000000000', 'Freie Hansestadt Bremen', 'land', NULL),
    ('050000000000', 'Nordrhein-Westfalen', 'land', NULL),
    ('060000000000', 'Hessen', 'land', NULL),
    ('070000000000', 'Rheinland-Pfalz', 'land', NULL),
    ('080000000000', 'Baden-Württemberg', 'land', NULL),
    ('090000000000', 'Freistaat Bayern', 'land', NULL),
    ('100000000000', 'Saarland', 'land', NULL),
    ('110000000000', 'Berlin', 'land', NULL),
    ('120000000000', 'Brandenburg', 'land', NULL),
    ('130000000000', 'Mecklenburg-Vorpommern', 'land', NULL),
    ('140000000000', 'Freistaat Sachsen', 'land', NULL),
    ('150000000000', 'Sachsen-Anhalt', 'land', NULL),
    ('160000000000', 'Freistaat Thüringen', 'land', NULL);
