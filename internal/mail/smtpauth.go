package mail

import (
	"errors"
	"fmt"
	"net/smtp"
	"strings"
)

// loginAuth is the AUTH LOGIN mechanism, which net/smtp lacks.
type loginAuth struct {
	username, password, host string
}

// Start refuses, like smtp.PlainAuth, to send credentials in the clear to
// anything but localhost.
func (a *loginAuth) Start(server *smtp.ServerInfo) (string, []byte, error) {
	if !server.TLS && !isLocalhost(server.Name) {
		return "", nil, errors.New("unencrypted connection")
	}
	if server.Name != a.host {
		return "", nil, errors.New("wrong host name")
	}
	return "LOGIN", nil, nil
}

// Next answers the "Username:" and "Password:" prompts.
func (a *loginAuth) Next(prompt []byte, more bool) ([]byte, error) {
	if !more {
		return nil, nil
	}
	switch p := strings.ToLower(strings.TrimSpace(string(prompt))); {
	case strings.HasPrefix(p, "user"):
		return []byte(a.username), nil
	case strings.HasPrefix(p, "pass"):
		return []byte(a.password), nil
	default:
		return nil, fmt.Errorf("unexpected AUTH LOGIN prompt %q", prompt)
	}
}

func isLocalhost(name string) bool {
	return name == "localhost" || name == "127.0.0.1" || name == "::1"
}

// containsWord reports whether the space-separated list holds w.
func containsWord(list, w string) bool {
	for _, f := range strings.Fields(list) {
		if strings.EqualFold(f, w) {
			return true
		}
	}
	return false
}
