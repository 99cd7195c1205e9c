-- Version 3: the marker that says "this database is a calendar SDK sync store". Opening checks it (with the
-- schema version) before anything is written: a database that has other tables and no marker is refused,
-- never taken for an empty store. Stores made before V3 are recognised by sync_schema_version and get the
-- marker here.
CREATE TABLE sync_store (
    marker VARCHAR(100) PRIMARY KEY
);

INSERT INTO sync_store (marker) VALUES ('org.calsdk.sync');
