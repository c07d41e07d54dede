// Package gram holds the InstaMERN domain: its types, validation and
// permission rules, and the use cases that the HTTP API calls. It knows
// nothing of SQL, HTTP, S3 or SMTP; those are adapters around it.
package gram
