package ratelimit_test

import (
	"testing"

	"github.com/instamern/gram/internal/ratelimit"
	"github.com/instamern/gram/internal/ratelimit/ratelimittest"
)

func TestMemory(t *testing.T) { ratelimittest.Spec(t, ratelimit.NewMemory()) }
