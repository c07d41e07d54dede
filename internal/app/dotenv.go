package app

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/joho/godotenv"
)

// WithDotEnv layers a .env file (in development only, and only for names
// the real environment leaves unset) under getenv. A missing .env is
// fine; a malformed one, or an ENV_FILE that cannot be read, is an error
// rather than a silent fall-back to the defaults.
func WithDotEnv(getenv func(string) string) (func(string) string, error) {
	if getenv("APP_ENV") == "production" {
		return getenv, nil
	}
	path := getenv("ENV_FILE")
	explicit := path != ""
	if !explicit {
		path = ".env"
	}
	vals, err := godotenv.Read(path)
	if errors.Is(err, fs.ErrNotExist) && !explicit {
		return getenv, nil
	}
	if err != nil {
		return nil, fmt.Errorf("env file %s: %w", path, err)
	}
	return func(k string) string {
		if v := getenv(k); v != "" {
			return v
		}
		return vals[k]
	}, nil
}
