package main

import "github.com/joho/godotenv"

// withDotEnv layers a .env file (in development only, and only for names
// the real environment leaves unset) under getenv.
func withDotEnv(getenv func(string) string) func(string) string {
	if getenv("APP_ENV") == "production" {
		return getenv
	}
	path := getenv("ENV_FILE")
	if path == "" {
		path = ".env"
	}
	vals, err := godotenv.Read(path)
	if err != nil {
		return getenv // no file: nothing to add
	}
	return func(k string) string {
		if v := getenv(k); v != "" {
			return v
		}
		return vals[k]
	}
}
