package rules

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tightlip/tightlip/model"
	"github.com/tightlip/tightlip/shellflow"
)

func TestZZApp(t *testing.T) {
	d, _ := os.ReadFile("testdata/bench/app.Dockerfile")
	m, err := model.Parse("Dockerfile", d)
	if err != nil {
		t.Fatal(err)
	}
	p := &Pass{File: m, shared: &shared{}, rule: TL201, findings: new([]Finding)}
	fl := p.flow()
	for _, st := range m.Stages {
		for _, r := range st.Runs {
			rf := fl.run(r)
			if rf == nil {
				t.Logf("line %d: nil", r.Inst.Range.Start.Line)
				continue
			}
			if rf.res == nil {
				t.Logf("line %d: skip %q", r.Inst.Range.Start.Line, rf.skip)
				continue
			}
			var z shellflow.Analyzer
			z.Analyze(rf.spec)
			n := 2000
			t0 := time.Now()
			for range n {
				z.Analyze(rf.spec)
			}
			a := testing.AllocsPerRun(100, func() { z.Analyze(rf.spec) })
			t.Logf("line %d: analysed %v allocs=%.0f secretenv=%v secretfiles=%v env=%d", r.Inst.Range.Start.Line, time.Since(t0)/time.Duration(n), a, rf.spec.SecretEnv, rf.spec.SecretFiles, len(rf.spec.Env))
		}
	}
}

func BenchmarkZZRun10(b *testing.B) {
	d, _ := os.ReadFile("testdata/bench/app.Dockerfile")
	m, _ := model.Parse("Dockerfile", d)
	p := &Pass{File: m, shared: &shared{}, rule: TL201, findings: new([]Finding)}
	fl := p.flow()
	var specs []shellflow.Spec
	for _, st := range m.Stages {
		for _, r := range st.Runs {
			if rf := fl.run(r); rf != nil && rf.res != nil {
				specs = append(specs, rf.spec)
			}
		}
	}
	var z shellflow.Analyzer
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range specs {
			z.Analyze(s)
		}
	}
}

func corpusSpecs(b *testing.B) []shellflow.Spec {
	files, _ := filepath.Glob("../testdata/corpus/clean/*.Dockerfile")
	var specs []shellflow.Spec
	for _, f := range files {
		d, _ := os.ReadFile(f)
		m, err := model.Parse("Dockerfile", d)
		if err != nil {
			b.Fatal(err)
		}
		p := &Pass{File: m, shared: &shared{}, rule: TL201, findings: new([]Finding)}
		fl := p.flow()
		for _, st := range m.Stages {
			for _, r := range st.Runs {
				if rf := fl.run(r); rf != nil && rf.res != nil {
					specs = append(specs, rf.spec)
				}
			}
		}
	}
	return specs
}

func BenchmarkZZCorpusShell(b *testing.B) {
	specs := corpusSpecs(b)
	var z shellflow.Analyzer
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range specs {
			z.Analyze(s)
		}
	}
}

func TestZZWhy(t *testing.T) {
	files, _ := filepath.Glob("../testdata/corpus/clean/*.Dockerfile")
	for _, f := range files {
		d, _ := os.ReadFile(f)
		m, _ := model.Parse("Dockerfile", d)
		p := &Pass{File: m, shared: &shared{}, rule: TL201, findings: new([]Finding)}
		fl := p.flow()
		for _, st := range m.Stages {
			for _, r := range st.Runs {
				rf := fl.run(r)
				if rf == nil || rf.res == nil {
					continue
				}
				why := ""
				s := rf.spec
				switch {
				case len(s.SecretFiles) > 0 || len(s.SecretEnv) > 0:
					why = "secrets"
				case mentionsStoreTool(s.Script):
					why = "store"
				case mentionsCredentialFile(s.Script):
					why = "credfile"
				default:
					why = "other(held/scope)"
				}
				res := rf.res
				t.Logf("%-40s %-10s stores=%d leaks=%d created=%d removed=%d", filepath.Base(f), why, len(res.Stores), len(res.Leaks), len(res.Created), len(res.Removed))
			}
		}
	}
}
