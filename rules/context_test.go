package rules_test

import (
	"errors"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tightlip/tightlip/model"
	"github.com/tightlip/tightlip/rules"
)

func mapContext(t *testing.T, files map[string]string) rules.Context {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	c, err := rules.NewFSContext(fsys, "")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestFSContextHonoursDockerignore(t *testing.T) {
	c := mapContext(t, map[string]string{
		".dockerignore":           "# comment\nsecrets\n**/*.log\n!keep.log\n/node_modules\n",
		"app.js":                  "",
		"keep.log":                "",
		"debug.log":               "",
		"sub/trace.log":           "",
		"secrets/.env":            "DB_PASSWORD=s3cr3t-pa55\n",
		"node_modules/a/index.js": "",
		"config/.npmrc":           "registry=https://npm.internal/\n",
	})
	var got []string
	if err := c.Walk(func(p string) error { got = append(got, p); return nil }); err != nil {
		t.Fatal(err)
	}
	want := []string{".dockerignore", "app.js", "config/.npmrc", "keep.log"}
	if !slices.Equal(got, want) {
		t.Errorf("Walk = %q, want %q", got, want)
	}
	if _, err := c.ReadFile("secrets/.env"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadFile of an ignored file: %v", err)
	}
	if data, err := c.ReadFile("./config/.npmrc"); err != nil || !strings.HasPrefix(string(data), "registry=") {
		t.Errorf("ReadFile(./config/.npmrc) = %q, %v", data, err)
	}
}

func TestFSContextDockerfileIgnoreFile(t *testing.T) {
	fsys := fstest.MapFS{
		"Dockerfile.dockerignore": {Data: []byte("*.env\n")},
		".dockerignore":           {Data: []byte("")},
		"prod.env":                {Data: []byte("API_KEY=1b721076\n")},
	}
	c, err := rules.NewFSContext(fsys, "Dockerfile.dockerignore")
	if err != nil {
		t.Fatal(err)
	}
	f, err := model.Parse("Dockerfile", []byte("FROM alpine\nCOPY . /app\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := rules.Run(f, rules.Options{Context: c}); len(got) != 0 {
		t.Errorf("findings for an ignored file: %v", got)
	}
}

func TestCopyWithMapContext(t *testing.T) {
	c := mapContext(t, map[string]string{
		"package.json": "{}",
		".npmrc":       "//npm.pkg.github.com/:_authToken=1b721076-0474-f36e-8b53-59309cc62739\n",
		"web/.npmrc":   "//npm.pkg.github.com/:_authToken=${NPM_TOKEN}\n",
		"web/app.js":   "",
	})
	f, err := model.Parse("Dockerfile", []byte("FROM node:22\nCOPY package.json ./\nCOPY web/ ./web/\nCOPY . .\n"))
	if err != nil {
		t.Fatal(err)
	}
	got := rules.Run(f, rules.Options{Context: c, Rules: []*rules.Rule{rules.ByID("TL120")}})
	if len(got) != 1 || got[0].Range.Start.Line != 4 || got[0].Severity != rules.Error ||
		!strings.Contains(got[0].Message, "copies .npmrc (npm registry credentials)") {
		t.Errorf("findings: %v", got)
	}
}
