-- An EPD file's rows under the canonical names epd_groups.sql reads.
-- Slots (importer._epd_source): {columns} each canonical column, as the
-- file's own quoted header cast to text (or to DOUBLE for the numeric
-- fields) or NULL when the layout lacks it; {scan} the file's scan.
SELECT {columns} FROM {scan}
