package analysis

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// TestParseCheckDirective checks that skipping the directive parser for Dockerfiles without the word
// "check" gives the directive parser's answer.
func TestParseCheckDirective(t *testing.T) {
	inputs := []string{
		"# check=skip=TL101\nFROM alpine\n",
		"# CHECK=skip=all\nFROM alpine\n",
		"#Check = error=true\nFROM alpine\n",
		"\ufeff# check=skip=TL101\nFROM alpine\n",
		"#!/usr/bin/env dockerfile\n# check=skip=TL101\nFROM alpine\n",
		"# syntax=docker/dockerfile:1\n# check=skip=TL101\nFROM alpine\n",
		"FROM alpine\n# check=skip=TL101\n",
		"FROM alpine\nRUN ./check.sh\n",
		"# chec\n# k=skip=all\nFROM alpine\n",
		"",
	}
	for _, dir := range []string{"clean", "leaky"} {
		files, err := filepath.Glob(filepath.Join("..", "testdata", "corpus", dir, "*.Dockerfile"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no corpus in %s: %v", dir, err)
		}
		for _, f := range files {
			d, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			inputs = append(inputs, string(d))
		}
	}
	found := 0
	for _, in := range inputs {
		wantV, wantCmd, wantRanges, wantOK := parser.ParseDirective("check", []byte(in))
		v, cmd, ranges, ok := parseCheckDirective([]byte(in))
		if v != wantV || cmd != wantCmd || !reflect.DeepEqual(ranges, wantRanges) || ok != wantOK {
			t.Errorf("%q: got %q %q %v %v, want %q %q %v %v", in, v, cmd, ranges, ok, wantV, wantCmd, wantRanges, wantOK)
		}
		if ok {
			found++
		}
	}
	if found < 5 {
		t.Errorf("only %d inputs have a check directive: the test does not test the parser path", found)
	}
}

func TestContainsFoldASCII(t *testing.T) {
	for _, c := range []struct {
		data string
		want bool
	}{
		{"check", true}, {"# CHECK=", true}, {"xxChEcKxx", true}, {"chec", false}, {"chek", false}, {"", false},
		{"c h e c k", false}, {"CHECK"[:4] + "\u212a", false},
	} {
		if got := containsFoldASCII([]byte(c.data), "check"); got != c.want {
			t.Errorf("containsFoldASCII(%q) = %v, want %v", c.data, got, c.want)
		}
	}
}
