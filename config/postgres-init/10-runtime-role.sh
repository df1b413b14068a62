#!/bin/sh
# Runs once, when PostgreSQL's data volume is first created (docker-entrypoint-initdb.d). Creates the login role the
# API and workers connect as. It owns nothing: the `migrate` service (as the owner, POSTGRES_USER) applies the
# migrations and enrols it in dus_runtime, which may only INSERT and SELECT on the audit tables.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" -v pw="$RUNTIME_DB_PASSWORD" <<'SQL'
CREATE ROLE screening_app LOGIN PASSWORD :'pw';
SQL
