package rules_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/tightlip/tightlip/credential"
	"github.com/tightlip/tightlip/model"
	"github.com/tightlip/tightlip/rules"
)

// FuzzRun checks that no Dockerfile makes a rule panic or put a credential into a message.
func FuzzRun(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*/*.Dockerfile")
	more, _ := filepath.Glob("../testdata/corpus/*/*.Dockerfile")
	for _, s := range append(seeds, more...) {
		if data, err := os.ReadFile(s); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := model.Parse("Dockerfile", data)
		if err != nil {
			return
		}
		for _, fd := range rules.Run(m, rules.Options{}) {
			if ms := credential.Find(fd.Message); len(ms) > 0 {
				t.Fatalf("message reveals a %s: %s", ms[0].Pattern.Name, fd.Message)
			}
		}
	})
}
