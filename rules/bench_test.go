package rules_test

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/moby/buildkit/client/llb/sourceresolver"
	"github.com/moby/buildkit/frontend/dockerfile/dockerfile2llb"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	digest "github.com/opencontainers/go-digest"

	"github.com/tightlip/tightlip/model"
	"github.com/tightlip/tightlip/rules"
)

const benchFile = "testdata/bench/app.Dockerfile"

func readBench(b *testing.B) []byte {
	b.Helper()
	data, err := os.ReadFile(benchFile)
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// The benchmarks below time the parts of tightlip's analysis of one larger Dockerfile, and BuildKit's
// own work on it, for profiling. The performance budget (the analysis costs at most half of the
// conversion) is measured by analysis.BenchmarkAnalysisVsConversion, which alternates analysis and
// conversion so that machine load affects both alike, and also includes analysis.Mask.

// BenchmarkAnalyze measures building the model and running every rule. Compare with BenchmarkConvert,
// BuildKit's conversion of the same Dockerfile to LLB.
func BenchmarkAnalyze(b *testing.B) {
	data := readBench(b)
	b.ReportAllocs()
	for b.Loop() {
		f, err := model.Parse("Dockerfile", data)
		if err != nil {
			b.Fatal(err)
		}
		if fs := rules.Run(f, rules.Options{}); len(fs) != 0 {
			b.Fatalf("unexpected findings: %v", fs)
		}
	}
}

// stubResolver answers image config requests from memory, as a warm gateway cache would, so that the
// benchmark measures conversion and never touches a registry.
type stubResolver struct{}

var stubConfig = []byte(`{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"WorkingDir":"/"},"rootfs":{"type":"layers","diff_ids":[]}}`)

func (stubResolver) ResolveImageConfig(_ context.Context, ref string, _ sourceresolver.Opt) (string, digest.Digest, []byte, error) {
	return ref, digest.FromBytes(stubConfig), stubConfig, nil
}

// BenchmarkConvert is BuildKit's dockerfile2llb conversion of the same Dockerfile, called as BuildKit's
// own tests call it (no client), with image configs served from memory.
func BenchmarkConvert(b *testing.B) {
	data := readBench(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := dockerfile2llb.Dockerfile2LLB(ctx, data, dockerfile2llb.ConvertOpt{MetaResolver: stubResolver{}}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkConvertMarshal adds the marshalling of the LLB definition that the builder sends to the
// solver.
func BenchmarkConvertMarshal(b *testing.B) {
	data := readBench(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		res, err := dockerfile2llb.Dockerfile2LLB(ctx, data, dockerfile2llb.ConvertOpt{MetaResolver: stubResolver{}})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := res.State.Marshal(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuildKitParse is BuildKit's parser alone, a cost analysis and conversion both pay.
func BenchmarkBuildKitParse(b *testing.B) {
	data := readBench(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parser.Parse(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuildKitInstructions is BuildKit's parser and instructions.Parse: the floor of any analysis
// that reads the Dockerfile the way BuildKit does.
func BenchmarkBuildKitInstructions(b *testing.B) {
	data := readBench(b)
	b.ReportAllocs()
	for b.Loop() {
		res, err := parser.Parse(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := instructions.Parse(res.AST, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkModel is model.Parse alone.
func BenchmarkModel(b *testing.B) {
	data := readBench(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := model.Parse("Dockerfile", data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRules is rules.Run alone, on a model built once.
func BenchmarkRules(b *testing.B) {
	f, err := model.Parse("Dockerfile", readBench(b))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		rules.Run(f, rules.Options{})
	}
}
