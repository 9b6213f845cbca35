-- Issue 14: the roster as it really is, targets' deadline basis, units as written, and the stamped copy
-- (纸质版扫描成PDF) each unit sends beside its xlsx.
-- submitters: level 专科 / 职业本科 (NULL for a city), ownership 公办 / 民办, source of the row.
ALTER TABLE submitters ADD COLUMN level VARCHAR;
ALTER TABLE submitters ADD COLUMN ownership VARCHAR;
ALTER TABLE submitters ADD COLUMN source VARCHAR;
-- universities: the province's undergraduate institutions (本科), reloaded from seeds/submitters.csv
-- (kind university). A checklist or stamped copy from one is accepted (files.kind = 'university') and
-- shown apart; universities are not in submitters, so no roster count or denominator includes them.
CREATE TABLE universities (
    submitter VARCHAR PRIMARY KEY,
    kind      VARCHAR NOT NULL,       -- always university
    city      VARCHAR NOT NULL,
    aliases   VARCHAR[],
    level     VARCHAR,                -- 本科
    ownership VARCHAR,
    source    VARCHAR
);
-- targets: 原文 when the document states the deadline, 推定 when it is assumed; also_units are measure
-- words counted as unit for this target.
ALTER TABLE targets ADD COLUMN deadline_basis VARCHAR;
ALTER TABLE targets ADD COLUMN also_units VARCHAR[];
-- files: doc_kind checklist (an xlsx) / stamped (the signed, stamped copy: PDF, JPEG or PNG);
-- pages: the stamped PDF's page count (1 for a picture, NULL for a checklist).
ALTER TABLE files ADD COLUMN doc_kind VARCHAR DEFAULT 'checklist';
UPDATE files SET doc_kind = 'checklist' WHERE doc_kind IS NULL;
ALTER TABLE files ADD COLUMN pages INTEGER;
-- commitment_rows: unit is the normalised unit (the target's, where an equivalent word was written);
-- unit_written the measure word as written.
ALTER TABLE commitment_rows ADD COLUMN unit_written VARCHAR;
UPDATE commitment_rows SET unit_written = unit WHERE unit_written IS NULL;
ALTER TABLE current_commitment_rows ADD COLUMN unit_written VARCHAR;
