-- Secondary indexes of the projection, created after a bulk replay:
-- building them once at the end is faster than updating them per row.
CREATE INDEX IF NOT EXISTS records_kind ON records (kind, date_lo);
CREATE INDEX IF NOT EXISTS records_place ON records (place);
CREATE INDEX IF NOT EXISTS records_parent ON records (parent);
CREATE INDEX IF NOT EXISTS record_links_to ON record_links (to_id);
