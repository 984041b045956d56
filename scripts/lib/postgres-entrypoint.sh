#!/bin/sh
# The entrypoint of Slipway's offline postgres image: the official image's behaviour for what
# Slipway relies on (first-run initialisation from POSTGRES_* variables, then postgres as PID 1).
set -eu

# An option first means "postgres with these options", as in the official image.
if [ "${1#-}" != "$1" ]; then
	set -- postgres "$@"
fi

# Asking postgres for its version, help or a setting needs no database.
wants_help() {
	for arg; do
		case "$arg" in
		'-?' | --help | --describe-config | -V | --version | -C) return 0 ;;
		esac
	done
	return 1
}

if [ "$1" != postgres ] || wants_help "$@"; then
	exec "$@"
fi

PGDATA="${PGDATA:-/var/lib/postgresql/data}"
export PGDATA

# Run as root: make the data and socket folders the postgres user's, then come back as it.
if [ "$(id -u)" = 0 ]; then
	mkdir -p "$PGDATA" /var/run/postgresql
	chmod 700 "$PGDATA"
	find "$PGDATA" ! -user postgres -exec chown postgres:postgres '{}' +
	chown postgres:postgres /var/run/postgresql
	chmod 3777 /var/run/postgresql
	exec su -p -s /bin/sh -c 'exec "$0" "$@"' postgres -- "$0" "$@"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
	POSTGRES_USER="${POSTGRES_USER:-postgres}"
	POSTGRES_DB="${POSTGRES_DB:-$POSTGRES_USER}"
	POSTGRES_HOST_AUTH_METHOD="${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}"
	if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "$POSTGRES_HOST_AUTH_METHOD" != trust ]; then
		cat >&2 <<-'EOM'
			Error: Database is uninitialized and superuser password is not specified.
			       You must specify POSTGRES_PASSWORD to a non-empty value for the
			       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".

			       You may also use "POSTGRES_HOST_AUTH_METHOD=trust" to allow all
			       connections without a password. This is *not* recommended.

			       See PostgreSQL documentation about "trust":
			       https://www.postgresql.org/docs/current/auth-trust.html
		EOM
		exit 1
	fi
	mkdir -p "$PGDATA"
	chmod 700 "$PGDATA"

	# printf is a shell builtin: the password reaches initdb through a private file, never an argv.
	pwfile="$(mktemp)"
	trap 'rm -f "$pwfile"' EXIT
	chmod 600 "$pwfile"
	printf '%s\n' "${POSTGRES_PASSWORD:-}" >"$pwfile"
	# shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS holds several options
	initdb --username="$POSTGRES_USER" --pwfile="$pwfile" --encoding=UTF8 --locale=C.UTF-8 \
		${POSTGRES_INITDB_ARGS:-} >/dev/null
	rm -f "$pwfile"
	trap - EXIT

	cat >"$PGDATA/pg_hba.conf" <<-EOH
		local all all trust
		host all all 127.0.0.1/32 trust
		host all all ::1/128 trust
		host all all all $POSTGRES_HOST_AUTH_METHOD
	EOH
	printf "\nlisten_addresses = '*'\n" >>"$PGDATA/postgresql.conf"

	# A server on the Unix socket only: nothing can connect over TCP before the database exists.
	pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
	if [ "$POSTGRES_DB" != postgres ]; then
		psql -v ON_ERROR_STOP=1 --no-password --no-psqlrc --username="$POSTGRES_USER" --dbname=postgres \
			--set db="$POSTGRES_DB" >/dev/null <<-'EOSQL'
				CREATE DATABASE :"db";
			EOSQL
	fi
	pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
	echo 'PostgreSQL init process complete; ready for start up.'
fi

exec "$@"
