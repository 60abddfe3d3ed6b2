-- Geocoding of addresses that came without coordinates. geocode_key is the address as
-- sent to the geocoder, so a re-import that leaves the address alone keeps the point it
-- found, and one that changes the address asks again.
ALTER TABLE addresses ADD COLUMN geocode_key TEXT;
-- NULL: not asked yet; 'found', 'not_found', or 'failed' (asked again at geocode_retry_at).
ALTER TABLE addresses ADD COLUMN geocode_status TEXT;
ALTER TABLE addresses ADD COLUMN geocode_retry_at INTEGER;
CREATE INDEX addresses_geocode_pending_idx ON addresses (geocode_status)
    WHERE needs_pin AND geocoded_latitude IS NULL;
