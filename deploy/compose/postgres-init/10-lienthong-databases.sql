-- Run once by the postgres image on an empty data directory
-- (/docker-entrypoint-initdb.d), as POSTGRES_USER, who owns what it creates.
-- One database per service, as each service has its own SQLite files under
-- --data_dir today: each keeps its own tables, migrations and audit log.
-- The all-in-one daemon uses POSTGRES_DB (lienthong) itself.
CREATE DATABASE lienthong_registry;
CREATE DATABASE lienthong_ingestion;
CREATE DATABASE lienthong_documents;
CREATE DATABASE lienthong_reporting;
