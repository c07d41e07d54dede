package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// selfSigned writes a certificate and key for localhost into dir and
// returns their paths and a client that trusts the certificate.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string, client *http.Client) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "localhost"},
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	client = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: pool}, ForceAttemptHTTP2: true}}
	return certFile, keyFile, client
}

func randomSecret(prefix string) string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// TestE2E_TLSProduction starts the binary in production with its own
// certificate and secrets from a file and the environment: HTTPS (HTTP/2,
// TLS 1.2+) works, HSTS is sent, cookies are Secure, plain HTTP on the TLS
// port gets a clean 400, tokens signed with a former secret
// (JWT_SECRETS_OLD) are still accepted while new ones are signed with the
// current secret, and no secret ever reaches the log.
func TestE2E_TLSProduction(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, client := selfSigned(t, dir)
	secret, old := randomSecret("current-jwt-secret-"), randomSecret("former-jwt-secret-")
	secretFile := filepath.Join(dir, "jwt")
	if err := os.WriteFile(secretFile, []byte(secret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// One machine: localhost URLs and the log transport, which production
	// refuses without ALLOW_UNSAFE_PRODUCTION.
	g := launchGramd(t, "", client, "APP_ENV=production", "ALLOW_UNSAFE_PRODUCTION=true", "JWT_SECRET_FILE="+secretFile, "JWT_SECRETS_OLD="+old,
		"TLS_CERT_FILE="+certFile, "TLS_KEY_FILE="+keyFile, "MAIL_CHECK_DOMAIN=false") // example.com takes no mail

	t.Run("HTTPS", func(t *testing.T) {
		res, err := client.Get(g.base + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 || res.ProtoMajor != 2 || res.TLS == nil || res.TLS.Version < tls.VersionTLS12 {
			t.Fatalf("healthz: %d over %s, TLS %+v; want 200 over HTTP/2 and TLS 1.2+", res.StatusCode, res.Proto, res.TLS)
		}
		if hsts := res.Header.Get("Strict-Transport-Security"); !strings.Contains(hsts, "max-age=") {
			t.Fatalf("Strict-Transport-Security %q", hsts)
		}
	})
	t.Run("OldTLSRefused", func(t *testing.T) {
		tr := client.Transport.(*http.Transport).Clone()
		tr.TLSClientConfig.MaxVersion = tls.VersionTLS11
		if res, err := (&http.Client{Transport: tr}).Get(g.base + "/healthz"); err == nil {
			res.Body.Close()
			t.Fatal("a TLS 1.1 client was served")
		}
	})
	t.Run("PlainHTTPFailsCleanly", func(t *testing.T) {
		res, err := http.Get(strings.Replace(g.base, "https://", "http://", 1) + "/healthz")
		if err != nil {
			t.Fatalf("plain HTTP: %v; want the server's 400 answer", err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "HTTPS") {
			t.Fatalf("plain HTTP: %d %q; want 400 saying to use HTTPS", res.StatusCode, body)
		}
	})

	var token string
	t.Run("SecureCookie", func(t *testing.T) {
		b := strings.NewReader(`{"firstname":"Tess","lastname":"Ellis","username":"tess","email":"tess@example.com",` +
			`"password":"lantern-orbit-42","passwordConfirm":"lantern-orbit-42"}`)
		res, err := client.Post(g.base+"/instamern/users/signup", "application/json", b)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 201 {
			t.Fatalf("signup: %d %s", res.StatusCode, raw)
		}
		cookie := res.Header.Get("Set-Cookie")
		if !strings.Contains(cookie, "Secure") || !strings.Contains(cookie, "HttpOnly") || !strings.Contains(cookie, "SameSite=None") {
			t.Fatalf("Set-Cookie %q; want Secure, HttpOnly, SameSite=None", cookie)
		}
		token = strings.TrimSuffix(strings.TrimPrefix(strings.Split(cookie, ";")[0], "jsonwebtoken="), " ")
	})
	t.Run("SecretRotation", func(t *testing.T) {
		var c jwt.MapClaims
		if _, err := jwt.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return []byte(secret), nil }); err != nil {
			t.Fatalf("the new token is not signed with JWT_SECRET: %v", err)
		}
		resign := func(key string) string {
			s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString([]byte(key))
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		g.call("GET", "/instamern/users/authorization/current-user", resign(old), nil, 200)
		g.call("GET", "/instamern/users/authorization/current-user", resign(randomSecret("unknown-secret-")), nil, 401)
	})

	g.terminate()
	out := g.out.String()
	if !strings.Contains(out, "so mail (password resets) is written to a folder, not delivered") {
		t.Errorf("the log does not warn of the unsafe production settings it was allowed:\n%s", out)
	}
	if !strings.Contains(out, `"tls":true`) {
		t.Errorf("the log does not say TLS is on:\n%s", out)
	}
	for name, s := range map[string]string{"JWT_SECRET": secret, "JWT_SECRETS_OLD": old} {
		if strings.Contains(out, s) {
			t.Errorf("the %s value appears in the log", name)
		}
	}
}

// TestShortSecretRefusedQuietly: a short production secret stops the
// start with a message naming the variable, not its value.
func TestShortSecretRefusedQuietly(t *testing.T) {
	const short = "short-Zq9-secret"
	env := map[string]string{"APP_ENV": "production", "PORT": "0", "DATA_DIR": t.TempDir(), "JWT_SECRET": short}
	var out bytes.Buffer
	err := run(context.Background(), []string{"gramd"}, func(k string) string { return env[k] }, &out)
	if err == nil || !strings.Contains(err.Error(), "JWT_SECRET") {
		t.Fatalf("run() = %v, want a refusal naming JWT_SECRET", err)
	}
	if strings.Contains(err.Error(), short) || strings.Contains(out.String(), short) {
		t.Fatalf("the secret's value is in the error or the log: %v / %s", err, out.String())
	}
}
