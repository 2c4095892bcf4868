package shellflow

import (
	"strings"
	"testing"
)

// FuzzAnalyze checks that Analyze never panics and that what it reports is
// well-formed, whatever the script.
func FuzzAnalyze(f *testing.F) {
	for _, s := range []string{
		benchScript,
		"echo $TOKEN > /app/out",
		"cat /run/secrets/t | base64 > /tmp/x && rm -f /tmp/x",
		"f() { f; }; f",
		"for i in a b; do while c; do break 2; done; done",
		"trap 'rm -f $F' EXIT; F=$(mktemp); echo $TOKEN > $F",
		"sh -c \"eval '$X'\"; bash <<EOF\n$TOKEN\nEOF",
		"exec 3>/app/x; echo $TOKEN >&3; exec >&-",
		"cp <(cat /run/secrets/t) >(tee /app/x) /app/{a,b}",
		"case $x in (a|b) ;; *) exit 1;; esac; ${x:=$TOKEN} ${!x} $((x+1)) ${x/a/$TOKEN}",
		"git config --global url.\"https://u:$TOKEN@h/\".insteadOf https://h/; docker login -p x",
		"xargs -I{} -- sudo -u x env -i A=b sh -c 'echo {}'",
		"find . -exec rm {} \\; -o -name x -delete; tar czf - . | ssh h tar x",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, script string) {
		spec := baseSpec(script)
		r, err := Analyze(spec)
		if err != nil {
			return
		}
		check := func(what string, p Pos) {
			if p.Line < 1 || p.Col < 1 {
				t.Fatalf("%s at %v", what, p)
			}
		}
		for _, l := range r.Leaks {
			check("leak", l.Pos)
			if l.Secret == "" || l.Dest == "" || l.How == "" {
				t.Fatalf("incomplete leak %+v", l)
			}
			if strings.ContainsRune(l.Dest, 0) {
				t.Fatalf("symbol in %q", l.Dest)
			}
		}
		for _, s := range r.Stores {
			check("store", s.Pos)
		}
		for _, e := range append(r.Created, r.Removed...) {
			check("event", e.Pos)
			if strings.ContainsRune(e.Path, 0) {
				t.Fatalf("symbol in %q", e.Path)
			}
		}
		for _, n := range append(r.Unsupported, r.Notes...) {
			check("note", n.Pos)
		}
		// The same input gives the same result.
		spec.Exec = []string{"sh", "-c", script}
		if _, err := Analyze(spec); err != nil {
			t.Fatalf("exec form of a script that parses: %v", err)
		}
	})
}
