package analysis_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/tightlip/tightlip/model"
	"github.com/tightlip/tightlip/rules"

	"github.com/tightlip/tightlip/analysis"
)

func BenchmarkZZAnalysisOnly(b *testing.B) {
	files, _ := filepath.Glob("../testdata/corpus/clean/*.Dockerfile")
	var data [][]byte
	for _, f := range files {
		d, _ := os.ReadFile(f)
		data = append(data, d)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range data {
			res, err := analysis.Analyze("Dockerfile", d, analysis.Options{Rewrite: true})
			if err != nil {
				b.Fatal(err)
			}
			analysis.Mask(res.File)
		}
	}
}

func corpusData(b *testing.B) [][]byte {
	files, _ := filepath.Glob("../testdata/corpus/clean/*.Dockerfile")
	var data [][]byte
	for _, f := range files {
		d, _ := os.ReadFile(f)
		data = append(data, d)
	}
	return data
}

func BenchmarkZZParser(b *testing.B) {
	data := corpusData(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range data {
			if _, err := parser.Parse(bytes.NewReader(d)); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkZZModel(b *testing.B) {
	data := corpusData(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range data {
			if _, err := model.Parse("Dockerfile", d); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkZZRules(b *testing.B) {
	data := corpusData(b)
	var fs []*model.File
	for _, d := range data {
		f, _ := model.Parse("Dockerfile", d)
		fs = append(fs, f)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range fs {
			rules.Run(f, rules.Options{})
		}
	}
}

func BenchmarkZZMask(b *testing.B) {
	data := corpusData(b)
	var fs []*model.File
	for _, d := range data {
		f, _ := model.Parse("Dockerfile", d)
		fs = append(fs, f)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range fs {
			analysis.Mask(f)
		}
	}
}

func BenchmarkZZParserInstr(b *testing.B) {
	data := corpusData(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range data {
			res, err := parser.Parse(bytes.NewReader(d))
			if err != nil {
				b.Fatal(err)
			}
			for _, n := range res.AST.Children {
				instructions.ParseInstruction(n)
			}
		}
	}
}
