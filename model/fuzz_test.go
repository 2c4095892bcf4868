package model_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/tightlip/tightlip/model"
)

// FuzzParse checks that any input BuildKit's parser accepts gives a model whose positions stay inside
// the file, and that no input panics.
func FuzzParse(f *testing.F) {
	f.Add([]byte(dockerfile))
	seeds, _ := filepath.Glob("../testdata/corpus/*/*.Dockerfile")
	for _, s := range seeds {
		if data, err := os.ReadFile(s); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := model.Parse("Dockerfile", data)
		if err != nil {
			return
		}
		n := m.NumLines()
		for _, in := range m.Instructions {
			for _, tx := range []model.Text{in.Text, in.ArgsText()} {
				for off := 0; off <= tx.Len(); off++ {
					if p := tx.Position(off); p.Line < 1 || p.Line > n {
						t.Fatalf("%s: offset %d maps to line %d of %d", in.Keyword, off, p.Line, n)
					}
				}
			}
			if in.Run != nil && in.Run.Script != nil {
				s := in.Run.Script
				for _, l := range s.Lines() {
					if l.Pos.Line < 1 || l.Pos.Line > n {
						t.Fatalf("script line maps to line %d of %d", l.Pos.Line, n)
					}
				}
			}
		}
	})
}
