// Package canary makes the random values that tests plant in builds and then search for: new on every
// run, so that no test holds a fixed credential-like value and a value found cannot come from an earlier
// run.
package canary

import (
	"crypto/rand"
	"testing"
)

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// String returns n random letters and digits.
func String(t testing.TB, n int) string {
	t.Helper()
	out := make([]byte, 0, n)
	buf := make([]byte, n)
	for len(out) < n {
		if _, err := rand.Read(buf); err != nil {
			t.Fatal(err)
		}
		for _, c := range buf {
			// Bytes from 248 on would favour the first letters of the alphabet.
			if int(c) < 256/len(alphabet)*len(alphabet) && len(out) < n {
				out = append(out, alphabet[int(c)%len(alphabet)])
			}
		}
	}
	return string(out)
}

// Value returns a random value that names itself: "canary" and 24 letters and digits.
func Value(t testing.TB) string {
	t.Helper()
	return "canary" + String(t, 24)
}

// GitHubToken returns a random value in the format of a GitHub personal access token.
func GitHubToken(t testing.TB) string {
	t.Helper()
	return "ghp_" + String(t, 36)
}
