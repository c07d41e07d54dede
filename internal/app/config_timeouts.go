package app

import (
	"errors"
	"time"
)

// TimeoutsEnv bound how long a request may wait on the server's
// dependencies, and a database statement may run.
type TimeoutsEnv struct {
	Request time.Duration // REQUEST_TIMEOUT: deadline of a request, then 503
	Upload  time.Duration // UPLOAD_TIMEOUT: deadline of an upload or a media download
	// DBStatement is DB_STATEMENT_TIMEOUT: PostgreSQL's statement_timeout
	// (unless DATABASE_URL sets it), SQLite's busy timeout. It defaults to
	// REQUEST_TIMEOUT: a statement that outlives its request helps nobody.
	DBStatement time.Duration
}

func loadTimeouts(env func(k, def string) string) (TimeoutsEnv, error) {
	var t TimeoutsEnv
	var errs [3]error
	request := env("REQUEST_TIMEOUT", "5s")
	t.Request, errs[0] = parseDuration(request)
	t.Upload, errs[1] = parseDuration(env("UPLOAD_TIMEOUT", "60s"))
	t.DBStatement, errs[2] = parseDuration(env("DB_STATEMENT_TIMEOUT", request))
	return t, errors.Join(wrapVar("REQUEST_TIMEOUT", errs[0]), wrapVar("UPLOAD_TIMEOUT", errs[1]),
		wrapVar("DB_STATEMENT_TIMEOUT", errs[2]))
}
