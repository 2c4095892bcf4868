package canary

import (
	"regexp"
	"testing"
)

func TestGitHubToken(t *testing.T) {
	format := regexp.MustCompile(`^ghp_[A-Za-z0-9]{36}$`)
	seen := map[string]bool{}
	for range 100 {
		tok := GitHubToken(t)
		if !format.MatchString(tok) {
			t.Fatalf("%q is not in the token format", tok)
		}
		if seen[tok] {
			t.Fatalf("%q twice", tok)
		}
		seen[tok] = true
	}
}
