/*
 * migrate.c - schema migrations embedded at build time (see prfaq/db.h).
 *
 * Each file runs in its own transaction together with its row in
 * schema_migrations, under a transaction-scoped advisory lock, so that
 * several instances starting against one empty database apply each file
 * exactly once (the others wait, then find it recorded), also through a
 * transaction pooler.
 *
 * Migration files are trusted code shipped in the binary, so they are the one
 * place where the simple query protocol (several statements per string) is used.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"
#include "prfaq/crypto.h"
#include "prfaq/embedded.h"
#include "prfaq/log.h"

/* pg_advisory_lock key: the bytes of "prfaqmig" read as an int8. */
#define MIGRATION_LOCK_KEY "8101253785497356647"

static const char *const bootstrap_sql =
	"CREATE TABLE IF NOT EXISTS schema_migrations ("
	" version integer PRIMARY KEY,"
	" name text NOT NULL,"
	" checksum text NOT NULL,"
	" applied_at timestamptz NOT NULL DEFAULT now())";

/* Parse the leading NNNN of "NNNN_name.sql"; -1 if malformed. */
static int
migration_number(const char *name)
{
	int v = 0, digits = 0;

	for (; name[digits] >= '0' && name[digits] <= '9' && digits < 8;
	     digits++)
		v = v * 10 + (name[digits] - '0');
	if (digits == 0 || name[digits] != '_')
		return -1;
	return v;
}

static prfaq_code
command_ok(PGconn *pg, PGresult *res, const char *what, struct prfaq_error *err)
{
	ExecStatusType st = PQresultStatus(res);
	prfaq_code rc = PRFAQ_OK;

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		const char *msg = res ? PQresultErrorMessage(res) :
					PQerrorMessage(pg);

		rc = prfaq_error_set(err,
				     PQstatus(pg) == CONNECTION_OK ?
					     PRFAQ_EINTERNAL :
					     PRFAQ_EUNAVAILABLE,
				     "%s: %s", what, msg);
	}
	PQclear(res);
	return rc;
}

/*
 * Open a transaction that holds the migration lock, quiet as the NOTICEs of
 * IF NOT EXISTS would make it otherwise.  Both are transaction-scoped, so
 * nothing outlives the transaction on a server session that a transaction
 * pooler (PgBouncer) hands on to someone else.
 */
static prfaq_code
begin_locked(PGconn *pg, struct prfaq_error *err)
{
	return command_ok(
		pg,
		PQexec(pg,
		       "BEGIN;"
		       " SET LOCAL client_min_messages = warning;"
		       " SELECT pg_advisory_xact_lock(" MIGRATION_LOCK_KEY ")"),
		"taking the migration lock", err);
}

/* COMMIT after rc == PRFAQ_OK, else ROLLBACK; returns rc or COMMIT's error. */
static prfaq_code
end_tx(PGconn *pg, prfaq_code rc, struct prfaq_error *err)
{
	if (rc == PRFAQ_OK)
		return command_ok(pg, PQexec(pg, "COMMIT"), "COMMIT", err);
	PQclear(PQexec(pg, "ROLLBACK"));
	return rc;
}

/*
 * Inside a locked transaction: apply file f (number, checksum) unless
 * schema_migrations has it, in which case its checksum must match.
 * *did is set when it was applied now.
 */
static prfaq_code
apply_pending(PGconn *pg, const struct prfaq_embedded_file *f, int number,
	      const char *checksum, bool *did, struct prfaq_error *err)
{
	char num[16];
	const char *params[3] = { num, f->name, checksum };
	PGresult *res;
	prfaq_code rc;

	*did = false;
	snprintf(num, sizeof(num), "%d", number);
	res = PQexecParams(pg,
			   "SELECT checksum FROM schema_migrations"
			   " WHERE version = $1",
			   1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		return command_ok(pg, res, "reading schema_migrations", err);
	if (PQntuples(res) > 0) {
		rc = PRFAQ_OK;
		if (strcmp(PQgetvalue(res, 0, 0), checksum) != 0)
			rc = prfaq_error_set(
				err, PRFAQ_EINTERNAL,
				"migration %s was changed after it was applied "
				"(checksum %.12s... recorded, %.12s... now): "
				"add a new migration instead",
				f->name, PQgetvalue(res, 0, 0), checksum);
		PQclear(res);
		return rc;
	}
	PQclear(res);
	rc = command_ok(pg, PQexec(pg, f->data), f->name, err);
	if (rc == PRFAQ_OK)
		rc = command_ok(
			pg,
			PQexecParams(
				pg,
				"INSERT INTO schema_migrations (version, name, checksum)"
				" VALUES ($1, $2, $3)",
				3, NULL, params, NULL, NULL, 0),
			"recording migration", err);
	*did = rc == PRFAQ_OK;
	return rc;
}

/*
 * Each file is looked up and, when pending, applied and recorded in one
 * transaction that holds a transaction-scoped advisory lock: instances that
 * start together take turns file by file, and a later one finds the file
 * recorded.  No session state is used, so this runs through PgBouncer in
 * transaction mode as it does on a direct connection.
 */
prfaq_code
prfaq_db_migrate(const char *conninfo, unsigned *applied,
		 struct prfaq_error *err)
{
	PGconn *pg;
	prfaq_code rc;
	unsigned count = 0;

	pg = PQconnectdb(conninfo);
	if (pg == NULL || PQstatus(pg) != CONNECTION_OK) {
		rc = prfaq_error_set(err, PRFAQ_EUNAVAILABLE,
				     "cannot connect to the database: %s",
				     pg ? PQerrorMessage(pg) : "out of memory");
		goto out;
	}
	rc = begin_locked(pg, err);
	if (rc == PRFAQ_OK)
		rc = command_ok(pg, PQexec(pg, bootstrap_sql),
				"creating schema_migrations", err);
	if ((rc = end_tx(pg, rc, err)) != PRFAQ_OK)
		goto out;

	for (size_t i = 0; i < prfaq_migrations_count; i++) {
		const struct prfaq_embedded_file *f = &prfaq_migrations[i];
		int number = migration_number(f->name);
		uint8_t digest[PRFAQ_SHA256_LEN];
		char checksum[2 * PRFAQ_SHA256_LEN + 1];
		bool did = false;

		if (number < 0) {
			rc = prfaq_error_set(
				err, PRFAQ_EINTERNAL,
				"migration %s: name must be NNNN_description.sql",
				f->name);
			goto out;
		}
		prfaq_sha256(f->data, f->len, digest);
		prfaq_hex(digest, sizeof(digest), checksum);
		rc = begin_locked(pg, err);
		if (rc == PRFAQ_OK)
			rc = apply_pending(pg, f, number, checksum, &did, err);
		if ((rc = end_tx(pg, rc, err)) != PRFAQ_OK)
			goto out;
		if (did) {
			log_info(NULL, "applied migration %s", f->name);
			count++;
		}
	}
	if (applied != NULL)
		*applied = count;
	rc = PRFAQ_OK;
out:
	PQfinish(pg);
	return rc;
}

static const struct db_stmt stmt_schema_version = {
	"schema_version",
	"SELECT coalesce(max(version), 0) FROM schema_migrations", 0
};

prfaq_code
prfaq_db_ready(struct prfaq_db_ctx db, struct prfaq_error *err)
{
	PGresult *res;
	int have, want = 0;

	if (db_query(db, &stmt_schema_version, NULL, &res, err) != PRFAQ_OK) {
		prfaq_error_clear(err);
		return prfaq_error_set(err, PRFAQ_EUNAVAILABLE,
				       "The database does not answer");
	}
	have = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	for (size_t i = 0; i < prfaq_migrations_count; i++) {
		int n = migration_number(prfaq_migrations[i].name);

		if (n > want)
			want = n;
	}
	if (have < want)
		return prfaq_error_set(
			err, PRFAQ_EUNAVAILABLE,
			"The database schema is at version %d; this build needs %d",
			have, want);
	return PRFAQ_OK;
}
