package analysis_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/moby/buildkit/client/llb/sourceresolver"
	"github.com/moby/buildkit/frontend/dockerfile/dockerfile2llb"
	digest "github.com/opencontainers/go-digest"

	"github.com/tightlip/tightlip/analysis"
)

// stubResolver answers image config requests from memory, as a warm gateway cache would, so that the
// conversion never touches a registry.
type stubResolver struct{}

var stubConfig = []byte(`{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"WorkingDir":"/"},"rootfs":{"type":"layers","diff_ids":[]}}`)

func (stubResolver) ResolveImageConfig(_ context.Context, ref string, _ sourceresolver.Opt) (string, digest.Digest, []byte, error) {
	return ref, digest.FromBytes(stubConfig), stubConfig, nil
}

// BenchmarkAnalysisVsConversion is the measure of tightlip's performance budget: the whole in-build
// analysis (analysis.Analyze with the rewrite, which builds the model and runs every rule, and
// analysis.Mask for the snippets of findings, as the frontend does for a build) must cost at most half
// of BuildKit's conversion of the same Dockerfile (dockerfile2llb, as upstream's tests call it, image
// configs served from memory).
//
// Every iteration analyses and converts, one file after the other, the Dockerfiles of the clean corpus
// (real-world Dockerfiles across ecosystems), so that machine load affects both measurements alike.
// The analysis/conversion metric is the ratio of their wall times, the number held to ≤ 0.5. The
// benchmark file of package rules (rules/testdata/bench/app.Dockerfile, a larger multi-stage build)
// is measured the same way, and reported apart as bench-file-analysis/conversion; the corpus ratio is
// the one the budget applies to. The benchmarks in package rules time the parts of the analysis on
// that file for profiling.
func BenchmarkAnalysisVsConversion(b *testing.B) {
	files, err := filepath.Glob("../testdata/corpus/clean/*.Dockerfile")
	if err != nil || len(files) == 0 {
		b.Fatalf("no corpus: %v", err)
	}
	var corpus [][]byte
	for _, f := range files {
		d, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		corpus = append(corpus, d)
	}
	benchFile, err := os.ReadFile("../rules/testdata/bench/app.Dockerfile")
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	// measure analyses and converts d, adding the times to *analysisTime and *conversionTime.
	measure := func(d []byte, analysisTime, conversionTime *time.Duration) {
		start := time.Now()
		res, err := analysis.Analyze("Dockerfile", d, analysis.Options{Rewrite: true})
		if err != nil {
			b.Fatal(err)
		}
		// The frontend masks the text that snippets show when it shows a finding: a build without
		// findings (and without build arguments, as here) does not mask.
		if len(res.Findings) > 0 {
			analysis.Mask(res.File)
		}
		mid := time.Now()
		if _, err := dockerfile2llb.Dockerfile2LLB(ctx, d, dockerfile2llb.ConvertOpt{MetaResolver: stubResolver{}}); err != nil {
			b.Fatal(err)
		}
		*analysisTime += mid.Sub(start)
		*conversionTime += time.Since(mid)
	}
	var analysisTime, conversionTime, benchAnalysisTime, benchConversionTime time.Duration
	for b.Loop() {
		for _, d := range corpus {
			measure(d, &analysisTime, &conversionTime)
		}
		measure(benchFile, &benchAnalysisTime, &benchConversionTime)
	}
	n := float64(b.N * len(corpus))
	b.ReportMetric(float64(analysisTime.Nanoseconds())/n, "analysis-ns/file")
	b.ReportMetric(float64(conversionTime.Nanoseconds())/n, "conversion-ns/file")
	b.ReportMetric(float64(analysisTime)/float64(conversionTime), "analysis/conversion")
	b.ReportMetric(float64(benchAnalysisTime)/float64(benchConversionTime), "bench-file-analysis/conversion")
	b.ReportMetric(0, "ns/op") // the interesting numbers are above
}
