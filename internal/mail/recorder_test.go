package mail_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/instamern/gram/internal/gram"
	"github.com/instamern/gram/internal/mail"
)

func TestRecorder(t *testing.T) {
	var r mail.Recorder
	ctx := context.Background()
	r.FailNext(2)
	for i, want := range []error{mail.ErrRecorderFail, mail.ErrRecorderFail, nil} {
		if err := r.Send(ctx, gram.Message{ID: "a"}); !errors.Is(err, want) {
			t.Errorf("send %d: err = %v, want %v", i, err, want)
		}
	}
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	if err := r.Send(canceled, gram.Message{ID: "b"}); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled send: err = %v", err)
	}
	if got := r.Sent(); len(got) != 1 || got[0].ID != "a" || r.Attempts() != 3 {
		t.Errorf("Sent = %v, Attempts = %d", got, r.Attempts())
	}
	r.Reset()
	if len(r.Sent()) != 0 || r.Attempts() != 0 {
		t.Error("Reset kept state")
	}
}

func TestRecorder_Concurrent(t *testing.T) {
	var r mail.Recorder
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() { _ = r.Send(context.Background(), gram.Message{}) })
	}
	wg.Wait()
	if n := len(r.Sent()); n != 50 {
		t.Errorf("recorded %d, want 50", n)
	}
}
