#!/usr/bin/env bash
# test.sh runs the whole test suite against real services: it makes sure
# PostgreSQL and Redis answer (starting them if they are down), starts the
# S3, SMTP and SES test servers (scripts/services.sh), then runs every Go
# test with the race detector, with both database backends enabled, and
# the image pipeline's tests once more in the libvips (HEIC/AVIF) build.
#
# Usage: scripts/test.sh [extra go test flags]
# Then fuzzes every target for FUZZTIME each (default 20s; 0 skips).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

log() { printf 'test.sh: %s\n' "$*" >&2; }

PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
PGDB=${PGDB:-gram_test}
PGAUTH=""

# ensure_postgres starts the local cluster if nothing answers, then makes
# sure the test database exists.
ensure_postgres() {
	if ! pg_isready -q -h "$PGHOST" -p "$PGPORT"; then
		log "PostgreSQL is down; starting it"
		local v
		v=$(ls /etc/postgresql | sort -V | tail -n 1)
		pg_ctlcluster --skip-systemctl-redirect "$v" main start
		for _ in $(seq 1 30); do pg_isready -q -h "$PGHOST" -p "$PGPORT" && break; sleep 1; done
	fi
	pg_isready -h "$PGHOST" -p "$PGPORT" >/dev/null || { log "PostgreSQL does not answer"; exit 1; }
	# A freshly installed Debian cluster wants a password over TCP: give the
	# superuser a local test password (loopback only) through the socket.
	if ! psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -Atc 'SELECT 1' >/dev/null 2>&1; then
		runuser -u postgres -- psql -qc "ALTER USER $PGUSER PASSWORD 'postgres'"
		export PGPASSWORD=postgres
		PGAUTH=":postgres"
	fi
	if ! psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$PGDB'" | grep -q 1; then
		psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -qc "CREATE DATABASE $PGDB"
	fi
	# Migration 0005 creates pg_trgm where it is missing, in the migrating
	# schema: for tests, each its own schema, dropped (with the extension
	# and the trigram indexes of the others) when the test ends. Install it
	# once, in public, as a DBA would.
	psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d "$PGDB" -qc "CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public" ||
		log "pg_trgm unavailable: username search will scan"
}

# ensure_redis starts a throwaway Redis on loopback if none answers.
ensure_redis() {
	if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
		log "Redis is down; starting it"
		mkdir -p "$ROOT/.services/redis"
		redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
			--dir "$ROOT/.services/redis" --logfile "$ROOT/.services/redis/redis.log"
		for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.5; done
	fi
	redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null || { log "Redis does not answer"; exit 1; }
}

ensure_postgres
ensure_redis
scripts/services.sh start
eval "$(scripts/services.sh env)"
export GRAM_TEST_POSTGRES="postgres://$PGUSER$PGAUTH@$PGHOST:$PGPORT/$PGDB?sslmode=disable"
export GRAM_TEST_REDIS="redis://127.0.0.1:6379/15"
# Every test that needs one of these servers fails, rather than skips,
# when its variable is missing (internal/testenv).
export GRAM_TEST_REQUIRE=1
# The server settings services.sh exports are for running gramd by hand;
# the tests configure each component themselves.
unset MEDIA_URL MAIL_URL

go vet ./...
# staticcheck is pinned as a tool in go.mod (go get -tool), so every
# machine runs the same version with no separate install.
go tool staticcheck ./...
go test -race -count=1 -timeout 30m "$@" ./...

# The image pipeline again, built with libvips for HEIC and AVIF uploads
# (internal/media/heif_vips.go): CI tests both builds.
if pkg-config --exists vips 2>/dev/null; then
	go vet -tags vips ./internal/media/...
	go tool staticcheck -tags vips ./internal/media/...
	# TestCostCoversAllocations measures the pure-Go decoders' memory,
	# the same code in both builds: the run above covers it.
	go test -tags vips -race -count=1 -skip '^TestCostCoversAllocations$' "$@" ./internal/media/...
else
	log "libvips-dev is missing: cannot test the HEIC/AVIF build (apt-get install libvips-dev)"
	exit 1
fi

# A bounded run of every fuzz target (go test -fuzz takes one package and
# one target at a time). A crasher fails the run and is written to the
# package's testdata/fuzz/<Target>/: commit it as a regression seed.
# FUZZTIME=0 skips this step.
FUZZTIME=${FUZZTIME:-20s}
if [[ "$FUZZTIME" != 0 ]]; then
	for target in ./internal/api:FuzzDecodeJSON ./internal/api:FuzzUpload ./internal/media:FuzzProcess; do
		log "fuzzing ${target#*:} for $FUZZTIME"
		go test -run '^$' -fuzz "^${target#*:}\$" -fuzztime "$FUZZTIME" -fuzzminimizetime 5s "${target%%:*}"
	done
fi
