#!/usr/bin/env bash
# services.sh starts the real servers the integration tests talk to:
#
#   versitygw        S3-compatible object store   http://127.0.0.1:7070
#   Mailpit          SMTP sink + HTTP API         smtp://127.0.0.1:1025, http://127.0.0.1:8025
#   aws-ses-v2-local SES v2 API emulator          http://127.0.0.1:8005 (forwards to Mailpit SMTP)
#   FerretDB         MongoDB wire protocol        mongodb://127.0.0.1:27017 (on PostgreSQL database ferretdb)
#
# Usage: scripts/services.sh start|stop|restart|status|env
#
#   start   installs missing tools (Go binaries into ./tools/bin, the npm
#           emulator into scripts/ses/node_modules; FerretDB is built from a
#           copy of its module source, see install_ferretdb), starts each service
#           unless its port already answers, waits until it is reachable,
#           creates the test bucket and makes its media/ prefix publicly
#           readable (the rest stays private). Idempotent.
#   stop    stops the services this script started (by pid file).
#   status  reports each service as up or down.
#   env     prints `export` lines for the tests and the server:
#             eval "$(scripts/services.sh env)"
#
# State (data, logs, pid files) lives in ./.services/, which git ignores.
# Ports can be moved with S3_PORT, SMTP_PORT, MAILPIT_PORT, SES_PORT, MONGO_PORT.
# FerretDB stores its data in the PostgreSQL database FERRETDB_PG_DB (default
# ferretdb) of the server at FERRETDB_PG_URL (default the local postgres user).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=$ROOT/tools/bin
STATE=$ROOT/.services
SES_DIR=$ROOT/scripts/ses

VERSITYGW_VERSION=v1.8.0
MAILPIT_VERSION=v1.33.1
FERRETDB_VERSION=v1.24.2

HOST=127.0.0.1
S3_PORT=${S3_PORT:-7070}
SMTP_PORT=${SMTP_PORT:-1025}
MAILPIT_PORT=${MAILPIT_PORT:-8025}
SES_PORT=${SES_PORT:-8005}
MONGO_PORT=${MONGO_PORT:-27017}
FERRETDB_DEBUG_PORT=${FERRETDB_DEBUG_PORT:-27088}
FERRETDB_PG_DB=${FERRETDB_PG_DB:-ferretdb}
FERRETDB_PG_URL=${FERRETDB_PG_URL:-postgres://postgres${PGPASSWORD:+:$PGPASSWORD}@$HOST:5432}

# Fixed test credentials: the store is bound to loopback and holds only test data.
S3_ACCESS_KEY=gramtestaccesskey
S3_SECRET_KEY=gramtestsecretkey0123456789
S3_REGION=us-east-1
S3_BUCKET=gram-test
# MEDIA_PREFIX is where the server keeps media (MEDIA_URL in env); only it
# is public, so the tests' own prefixes in the bucket stay private.
MEDIA_PREFIX=media

WAIT_SECONDS=${WAIT_SECONDS:-30}

log() { printf 'services: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# listening PORT succeeds when something accepts TCP connections on HOST:PORT.
listening() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

# install_go NAME MODULE@VERSION installs a Go binary unless it is present.
install_go() {
	[[ -x $BIN/$1 ]] && return 0
	log "installing $2 into tools/bin"
	GOBIN=$BIN go install "$2" || die "go install $2 failed"
}

# install_ferretdb builds FerretDB into tools/bin unless it is present.
# `go install` of the module builds a binary that panics at start: the module
# lacks build/version/version.txt. So it builds from a writable copy of the
# module source with that file written.
install_ferretdb() {
	[[ -x $BIN/ferretdb ]] && return 0
	log "building FerretDB $FERRETDB_VERSION into tools/bin (a minute or two)"
	local dir src
	dir=$(go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" |
		sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p') || die "go mod download FerretDB failed"
	[[ -n $dir && -d $dir ]] || die "FerretDB module source not found"
	src=$(mktemp -d)
	cp -R "$dir/." "$src" && chmod -R u+w "$src"
	mkdir -p "$src/build/version"
	echo "$FERRETDB_VERSION" >"$src/build/version/version.txt"
	(cd "$src" && go build -o "$BIN/ferretdb.tmp" ./cmd/ferretdb) || { rm -rf "$src"; die "building FerretDB failed"; }
	rm -rf "$src"
	mv "$BIN/ferretdb.tmp" "$BIN/ferretdb"
}

# ensure_ferretdb_db creates FerretDB's own PostgreSQL database if it is missing.
ensure_ferretdb_db() {
	command -v psql >/dev/null || die "psql is needed to create FerretDB's database"
	if ! psql "$FERRETDB_PG_URL/postgres" -Atc "SELECT 1 FROM pg_database WHERE datname = '$FERRETDB_PG_DB'" | grep -q 1; then
		psql "$FERRETDB_PG_URL/postgres" -qc "CREATE DATABASE $FERRETDB_PG_DB" || die "create database $FERRETDB_PG_DB failed"
	fi
}

# install_ses installs the pinned SES emulator from the committed lockfile.
install_ses() {
	[[ -x $SES_DIR/node_modules/.bin/aws-ses-v2-local ]] && return 0
	log "installing aws-ses-v2-local (npm ci in scripts/ses)"
	(cd "$SES_DIR" && npm ci --no-audit --no-fund --loglevel=error >&2) || die "npm ci failed"
}

# launch NAME PORT CMD... starts CMD in the background with its output in
# .services/NAME.log and its pid in .services/NAME.pid, unless PORT is busy.
launch() {
	local name=$1 port=$2
	shift 2
	if listening "$port"; then
		log "$name already listening on $HOST:$port"
		return 0
	fi
	log "starting $name on $HOST:$port"
	# setsid: the service outlives this shell and ignores its terminal's signals.
	setsid "$@" >"$STATE/$name.log" 2>&1 </dev/null &
	echo $! >"$STATE/$name.pid"
}

# await NAME PORT waits until PORT accepts connections or fails loudly.
await() {
	local name=$1 port=$2 i
	for ((i = 0; i < WAIT_SECONDS * 10; i++)); do
		listening "$port" && return 0
		if [[ -f $STATE/$name.pid ]] && ! kill -0 "$(cat "$STATE/$name.pid")" 2>/dev/null; then
			tail -n 20 "$STATE/$name.log" >&2 || true
			die "$name exited during start-up (log: .services/$name.log)"
		fi
		sleep 0.1
	done
	tail -n 20 "$STATE/$name.log" >&2 || true
	die "$name not reachable on $HOST:$port after ${WAIT_SECONDS}s (log: .services/$name.log)"
}

# s3_put PATH [CURL ARGS...] sends a signed S3 PUT to the store and prints
# the HTTP status; the answer body goes to .services/s3put.out.
s3_put() {
	local path=$1
	shift
	curl -sS -o "$STATE/s3put.out" -w '%{http_code}' -X PUT \
		--aws-sigv4 "aws:amz:$S3_REGION:s3" --user "$S3_ACCESS_KEY:$S3_SECRET_KEY" \
		-H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' "$@" "http://$HOST:$S3_PORT/$path"
}

# create_bucket makes the test bucket. An existing bucket (409
# BucketAlreadyOwnedByYou) counts as success.
create_bucket() {
	local code
	code=$(s3_put "$S3_BUCKET") || die "create bucket: curl failed"
	case $code in
	200 | 409) ;;
	*) cat "$STATE/s3put.out" >&2; die "create bucket $S3_BUCKET: HTTP $code" ;;
	esac
}

# public_media gives the test bucket a policy that lets anyone GET objects
# under MEDIA_PREFIX/, as a public bucket or a CDN origin would: the media
# URLs of the server's default (public) delivery then load in a browser.
# Putting the same policy again replaces it.
public_media() {
	local code policy
	policy='{"Version":"2012-10-17","Statement":[{"Sid":"PublicReadMedia","Effect":"Allow","Principal":"*",'
	policy+='"Action":["s3:GetObject"],"Resource":["arn:aws:s3:::'"$S3_BUCKET/$MEDIA_PREFIX"'/*"]}]}'
	# "policy=" rather than "policy": curl signs the bare form differently
	# from the canonical query string S3 computes.
	code=$(s3_put "$S3_BUCKET?policy=" --data-binary "$policy") || die "bucket policy: curl failed"
	case $code in
	200 | 204) ;;
	*) cat "$STATE/s3put.out" >&2; die "bucket policy on $S3_BUCKET: HTTP $code" ;;
	esac
}

cmd_start() {
	command -v go >/dev/null || die "go is not on PATH"
	mkdir -p "$BIN" "$STATE/s3" "$STATE/mailpit"
	install_go versitygw "github.com/versity/versitygw/cmd/versitygw@$VERSITYGW_VERSION"
	install_go mailpit "github.com/axllent/mailpit@$MAILPIT_VERSION"
	install_ses
	install_ferretdb
	ensure_ferretdb_db

	launch versitygw "$S3_PORT" env ROOT_ACCESS_KEY="$S3_ACCESS_KEY" ROOT_SECRET_KEY="$S3_SECRET_KEY" \
		"$BIN/versitygw" --port "$HOST:$S3_PORT" --region "$S3_REGION" --quiet posix "$STATE/s3"
	launch mailpit "$MAILPIT_PORT" "$BIN/mailpit" --listen "$HOST:$MAILPIT_PORT" \
		--smtp "$HOST:$SMTP_PORT" --smtp-auth-accept-any --smtp-auth-allow-insecure \
		--database "$STATE/mailpit/mailpit.db" --disable-version-check
	# SMTP_TRANSPORT is a nodemailer transport: every SES send is also
	# delivered to Mailpit, so mail tests can read both paths the same way.
	launch ses "$SES_PORT" env SMTP_TRANSPORT="{\"host\":\"$HOST\",\"port\":$SMTP_PORT,\"secure\":false,\"ignoreTLS\":true}" \
		node "$SES_DIR/node_modules/aws-ses-v2-local/dist/cli.js" --host "$HOST" --port "$SES_PORT"
	mkdir -p "$STATE/ferretdb"
	launch ferretdb "$MONGO_PORT" "$BIN/ferretdb" --handler=postgresql \
		--postgresql-url="$FERRETDB_PG_URL/$FERRETDB_PG_DB" --listen-addr="$HOST:$MONGO_PORT" \
		--debug-addr="$HOST:$FERRETDB_DEBUG_PORT" --state-dir="$STATE/ferretdb" --telemetry=disable --log-level=warn

	await versitygw "$S3_PORT"
	await mailpit "$MAILPIT_PORT"
	await mailpit-smtp "$SMTP_PORT"
	await ses "$SES_PORT"
	await ferretdb "$MONGO_PORT"
	create_bucket
	public_media
	log "all services up"
}

cmd_stop() {
	local name pid
	for name in ferretdb ses mailpit versitygw; do
		[[ -f $STATE/$name.pid ]] || continue
		pid=$(cat "$STATE/$name.pid")
		if kill "$pid" 2>/dev/null; then
			log "stopped $name (pid $pid)"
			wait_gone "$pid"
		fi
		rm -f "$STATE/$name.pid"
	done
}

# wait_gone PID waits up to five seconds for PID to exit, then kills it.
wait_gone() {
	local i
	for ((i = 0; i < 50; i++)); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -9 "$1" 2>/dev/null || true
}

cmd_status() {
	local rc=0 entry name port
	for entry in versitygw:$S3_PORT mailpit:$MAILPIT_PORT mailpit-smtp:$SMTP_PORT ses:$SES_PORT ferretdb:$MONGO_PORT; do
		name=${entry%%:*} port=${entry##*:}
		if listening "$port"; then
			printf '%-13s up    %s:%s\n' "$name" "$HOST" "$port"
		else
			printf '%-13s down  %s:%s\n' "$name" "$HOST" "$port"
			rc=1
		fi
	done
	return $rc
}

cmd_env() {
	cat <<EOF
export S3_ENDPOINT=http://$HOST:$S3_PORT
export S3_REGION=$S3_REGION
export S3_FORCE_PATH_STYLE=true
export AWS_ACCESS_KEY_ID=$S3_ACCESS_KEY
export AWS_SECRET_ACCESS_KEY=$S3_SECRET_KEY
export AWS_REGION=$S3_REGION
export GRAM_TEST_S3_BUCKET=$S3_BUCKET
export MEDIA_URL=s3://$S3_BUCKET/$MEDIA_PREFIX
export MAIL_URL=smtp://$HOST:$SMTP_PORT
export MAILPIT_URL=http://$HOST:$MAILPIT_PORT
export SES_ENDPOINT=http://$HOST:$SES_PORT
export GRAM_TEST_S3=1
export GRAM_TEST_SMTP=1
export GRAM_TEST_SES=1
export MONGODB_URL=mongodb://$HOST:$MONGO_PORT
EOF
}

case ${1:-} in
start) cmd_start ;;
stop) cmd_stop ;;
restart) cmd_stop; cmd_start ;;
status) cmd_status ;;
env) cmd_env ;;
*) echo "usage: $0 start|stop|restart|status|env" >&2; exit 2 ;;
esac
