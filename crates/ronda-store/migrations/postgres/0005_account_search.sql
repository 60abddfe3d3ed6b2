-- The account id and debtor name folded (lower case, no accents or punctuation), so a
-- search for "perez" finds "PÉREZ" and "Pérez" on both backends.
ALTER TABLE accounts ADD COLUMN search_text text NOT NULL DEFAULT '';
