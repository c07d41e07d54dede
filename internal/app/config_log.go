package app

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// LogEnv is how the server logs.
type LogEnv struct {
	Level slog.Level // LOG_LEVEL
	JSON  bool       // LOG_FORMAT=json (else text)
}

func init() {
	register(Group{Name: "Logging", Rank: 15, Settings: []Setting{
		{Name: "LOG_LEVEL", Default: "info", Meaning: "debug, info, warn or error: the least severe record logged", Parse: parseLogLevel},
		{Name: "LOG_FORMAT", Default: "json", Meaning: "json (one object a line, for a log collector) or text (key=value, for a terminal)",
			Parse: parseLogFormat},
	}})
}

func parseLogLevel(c *Config, v string) error {
	switch strings.ToLower(v) {
	case "debug":
		c.Log.Level = slog.LevelDebug
	case "info":
		c.Log.Level = slog.LevelInfo
	case "warn", "warning":
		c.Log.Level = slog.LevelWarn
	case "error":
		c.Log.Level = slog.LevelError
	default:
		return fmt.Errorf("must be debug, info, warn or error, not %q", v)
	}
	return nil
}

func parseLogFormat(c *Config, v string) error {
	switch strings.ToLower(v) {
	case "json":
		c.Log.JSON = true
	case "text":
		c.Log.JSON = false
	default:
		return fmt.Errorf("must be json or text, not %q", v)
	}
	return nil
}

// Logger is the server's logger on w, at LOG_LEVEL in LOG_FORMAT.
func (c Config) Logger(w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.Log.Level}
	if c.Log.JSON {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
