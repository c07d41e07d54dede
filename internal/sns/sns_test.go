package sns

import (
	"errors"
	"testing"
)

// TestCheckURL pins which certificate and subscription URLs the default
// verifier trusts: https on sns.<region>.amazonaws.com only.
func TestCheckURL(t *testing.T) {
	tests := []struct {
		url string
		ok  bool
	}{
		{"https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem", true},
		{"https://sns.eu-west-3.amazonaws.com/x.pem", true},
		{"https://sns.cn-north-1.amazonaws.com.cn/x.pem", true},
		{"https://SNS.us-east-1.amazonaws.com/x.pem", false}, // SNS never uses upper case; do not guess
		{"http://sns.us-east-1.amazonaws.com/x.pem", false},
		{"https://sns.us-east-1.amazonaws.com.evil.example/x.pem", false},
		{"https://evil.example/sns.us-east-1.amazonaws.com/x.pem", false},
		{"https://sns.us-east-1.amazonaws.com@evil.example/x.pem", false},
		{"https://user@sns.us-east-1.amazonaws.com/x.pem", false},
		{"https://s3.amazonaws.com/x.pem", false},
		{"https://sns.amazonaws.com/x.pem", false},
		{"https://sns.us-gov-west-1.amazonaws.com/x.pem", true},
		{"https://sns.ap-southeast-2.amazonaws.com/x.pem", true},
		{"https://sns.cn-northwest-1.amazonaws.com.cn/x.pem", true},
		// An S3 bucket named "sns" is served, with a valid certificate, on
		// these: whoever owns the bucket could sign messages.
		{"https://sns.s3.amazonaws.com/x.pem", false},
		{"https://sns.s3-accelerate.amazonaws.com/x.pem", false},
		{"https://sns.s3-us-west-2.amazonaws.com/x.pem", false},
		{"https://sns.s3-external-1.amazonaws.com/x.pem", false},
		{"", false},
		{"::", false},
	}
	var v Verifier
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			_, err := v.checkURL("SigningCertURL", tt.url)
			if (err == nil) != tt.ok {
				t.Errorf("checkURL(%q) = %v; want ok=%v", tt.url, err, tt.ok)
			}
			if err != nil && !errors.Is(err, ErrInvalid) {
				t.Errorf("error %v does not wrap ErrInvalid", err)
			}
		})
	}
}

func TestCanonical(t *testing.T) {
	n := &Message{Type: TypeNotification, Message: "m", MessageId: "id", Subject: "s", Timestamp: "ts", TopicArn: "arn",
		Token: "ignored", SubscribeURL: "ignored"}
	if got, want := mustCanonical(t, n), "Message\nm\nMessageId\nid\nSubject\ns\nTimestamp\nts\nTopicArn\narn\nType\nNotification\n"; got != want {
		t.Errorf("notification:\n%q\nwant\n%q", got, want)
	}
	n.Subject = ""
	if got, want := mustCanonical(t, n), "Message\nm\nMessageId\nid\nTimestamp\nts\nTopicArn\narn\nType\nNotification\n"; got != want {
		t.Errorf("notification without subject:\n%q\nwant\n%q", got, want)
	}
	c := &Message{Type: TypeSubscriptionConfirmation, Message: "m", MessageId: "id", SubscribeURL: "u", Timestamp: "ts",
		Token: "tok", TopicArn: "arn", Subject: "ignored"}
	want := "Message\nm\nMessageId\nid\nSubscribeURL\nu\nTimestamp\nts\nToken\ntok\nTopicArn\narn\nType\nSubscriptionConfirmation\n"
	if got := mustCanonical(t, c); got != want {
		t.Errorf("confirmation:\n%q\nwant\n%q", got, want)
	}
	if _, err := canonical(&Message{Type: "Other"}); !errors.Is(err, ErrInvalid) {
		t.Errorf("unknown type: %v", err)
	}
}

func mustCanonical(t *testing.T, m *Message) string {
	t.Helper()
	s, err := canonical(m)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
