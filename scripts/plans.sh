#!/usr/bin/env bash
# plans.sh prints the plan (EXPLAIN QUERY PLAN on SQLite, EXPLAIN (ANALYZE,
# BUFFERS) on PostgreSQL) and the median time of every statement the API
# runs, on seeded databases, and fails if a plan scans a table or misses
# its index: it runs sqlstore's TestQueryPlansSeeded. The first run tops
# each dataset up with comments, notifications, stories, sessions, mail
# and queued media deletions (gramseed does not make them) and a post liked
# by every user. Without either variable, go test runs the same check on
# a small dataset it seeds itself.
# docs/query-plans.md records its output.
#
# Usage:
#   GRAM_PLANS_SQLITE=/data/bench.db \
#   GRAM_PLANS_POSTGRES='postgres://postgres@127.0.0.1:5432/gram_bench?sslmode=disable' \
#   scripts/plans.sh [-seed]
# -seed first loads 100k users, 1M posts, ~10M likes and 2M follows into
# each database, which must be empty (cmd/gramseed, one after the other,
# minutes each). Set either variable alone to check one backend.
# GRAM_PLANS_RUNS sets how many runs each median is of (default 21).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ -z "${GRAM_PLANS_SQLITE:-}" && -z "${GRAM_PLANS_POSTGRES:-}" ]]; then
	sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
	exit 2
fi
if [[ "${1:-}" == "-seed" ]]; then
	for db in "${GRAM_PLANS_SQLITE:-}" "${GRAM_PLANS_POSTGRES:-}"; do
		[[ -n "$db" ]] || continue
		echo "plans.sh: seeding $db" >&2
		go run ./cmd/gramseed -db "$db" -users 100000 -posts 1000000 -likes 10600000 -follows 2000000 -comments 0 -stories 0
	done
fi
export GRAM_PLANS_SQLITE GRAM_PLANS_POSTGRES
exec go test -count=1 -timeout 60m -run '^TestQueryPlansSeeded$' -v ./internal/sqlstore/
