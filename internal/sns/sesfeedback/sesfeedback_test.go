package sesfeedback_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/instamern/gram/internal/gram"
	"github.com/instamern/gram/internal/sns/sesfeedback"
)

func TestParse(t *testing.T) {
	var many []string
	for i := range 60 {
		many = append(many, fmt.Sprintf(`{"emailAddress":"u%d@example.com"}`, i))
	}
	for _, tc := range []struct {
		name, message, reason string
		addresses             []string
	}{
		{"PermanentBounce", `{"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bouncedRecipients":[{"emailAddress":"Bob B <B2@Example.com>"},{"emailAddress":"not an address"}]}}`,
			gram.SuppressBounce, []string{"b2@example.com"}},
		{"TransientBounce", `{"notificationType":"Bounce","bounce":{"bounceType":"Transient","bouncedRecipients":[{"emailAddress":"t@example.com"}]}}`, "", nil},
		{"ComplaintEvent", `{"eventType":"Complaint","complaint":{"complainedRecipients":[{"emailAddress":"c@example.com"}]}}`,
			gram.SuppressComplaint, []string{"c@example.com"}},
		{"Delivery", `{"notificationType":"Delivery"}`, "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := sesfeedback.Parse(tc.message)
			if err != nil || f.Reason != tc.reason || !slices.Equal(f.Addresses, tc.addresses) {
				t.Fatalf("Parse: %+v %v; want %q %v", f, err, tc.reason, tc.addresses)
			}
		})
	}
	f, err := sesfeedback.Parse(`{"eventType":"Complaint","complaint":{"complainedRecipients":[` + strings.Join(many, ",") + `]}}`)
	if err != nil || len(f.Addresses) != 50 {
		t.Fatalf("60 recipients gave %d addresses (%v), want the first 50", len(f.Addresses), err)
	}
	if _, err := sesfeedback.Parse("not json"); err == nil {
		t.Fatal("a message that is not JSON parsed")
	}
}
