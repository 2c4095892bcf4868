package cli

import (
	"os"
	"strings"
	"testing"

	"github.com/tightlip/tightlip/verify"
)

// docs/cli.md documents every image check under the heading its SARIF helpUri points at, and every
// flag of check and verify.
func TestCLIDocs(t *testing.T) {
	data, err := os.ReadFile("../../docs/cli.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	for _, c := range verify.Checks() {
		heading := "#### " + c.ID + " " + c.Name + "\n"
		if !strings.Contains(doc, heading) {
			t.Errorf("docs/cli.md lacks the heading %q", strings.TrimSpace(heading))
		}
		if anchor := strings.ToLower(c.ID) + "-" + c.Name; !strings.HasSuffix(checkDocURL(c), "#"+anchor) {
			t.Errorf("%s: doc URL %s does not point at #%s", c.ID, checkDocURL(c), anchor)
		}
	}
	for _, flag := range []string{"--format", "--context", "--build-arg", "--secret-env", "--secret-file"} {
		if !strings.Contains(doc, "`"+flag+" ") {
			t.Errorf("docs/cli.md does not document %s", flag)
		}
	}
}
