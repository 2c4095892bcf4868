// Command gen writes the rule documentation (docs/rules/<ID>.md and docs/rules/README.md) from the rule
// values. Run it from the module root: go run ./rules/gen
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/tightlip/tightlip/rules"
)

func main() {
	dir := flag.String("dir", "docs/rules", "output directory")
	flag.Parse()
	if err := write(*dir); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	files := map[string]string{"README.md": rules.Index(rules.All())}
	for _, r := range rules.All() {
		files[r.ID+".md"] = rules.Markdown(r)
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			return err
		}
	}
	return nil
}
