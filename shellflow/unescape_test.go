package shellflow

import "testing"

// TestUnescape: inside double quotes a backslash also quotes ", in a heredoc body it does not; both drop
// line continuations and keep a backslash before any other character.
func TestUnescape(t *testing.T) {
	in := `a\$b\"c\\d\` + "\n" + "e\\`f\\x"
	for _, c := range []struct {
		name string
		f    func(string) string
		want string
	}{
		{"heredoc", unescapeHeredoc, `a$b\"c\de` + "`f\\x"},
		{"double quotes", unescapeQuoted, `a$b"c\de` + "`f\\x"},
	} {
		if got := c.f(in); got != c.want {
			t.Errorf("%s: %q → %q, want %q", c.name, in, got, c.want)
		}
	}
}
