package passwords

import "testing"

func TestCommon(t *testing.T) {
	if n := Len(); n != 10000 {
		t.Fatalf("list has %d passwords, want 10000", n)
	}
	tests := []struct {
		pw   string
		want bool
	}{
		{"123456", true},
		{"password", true},
		{"password123", true},
		{"PassWord1", true}, // case is ignored
		{"qwertyuiop", true},
		{"iloveyou", true},
		{"correct-horse-battery", false},
		{"Tulip orbit 42 lantern", false},
		{"", false},
		{"# The 10,000 most common passwords, most common first, lowercased.", false}, // the header is not a password
	}
	for _, tt := range tests {
		t.Run(tt.pw, func(t *testing.T) {
			if got := Common(tt.pw); got != tt.want {
				t.Fatalf("Common(%q) = %v, want %v", tt.pw, got, tt.want)
			}
		})
	}
}
