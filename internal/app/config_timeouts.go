package app

import "time"

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

func init() {
	register(Group{Name: "Timeouts", Rank: 70, Settings: []Setting{
		{Name: "REQUEST_TIMEOUT", Default: "5s", Meaning: "deadline of a request: past it (a stalled database, Redis or S3) the answer is 503",
			Parse: func(c *Config, v string) (err error) { c.Timeouts.Request, err = parseDuration(v); return err }},
		{Name: "UPLOAD_TIMEOUT", Default: "60s", Meaning: "deadline of an upload and of a GET /media/... download",
			Parse: func(c *Config, v string) (err error) { c.Timeouts.Upload, err = parseDuration(v); return err }},
		{Name: "DB_STATEMENT_TIMEOUT", Default: "${REQUEST_TIMEOUT}",
			Meaning: "PostgreSQL statement_timeout (unless DATABASE_URL sets it), SQLite busy timeout",
			Parse:   func(c *Config, v string) (err error) { c.Timeouts.DBStatement, err = parseDuration(v); return err }},
	}})
}
