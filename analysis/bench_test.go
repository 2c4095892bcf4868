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

// BenchmarkAnalysisVsConversion runs, in every iteration and over the same Dockerfiles (the clean
// corpus: real-world Dockerfiles across ecosystems), tightlip's whole in-build analysis (model, every
// rule, the rewrite, the masked text for messages) and BuildKit's conversion (dockerfile2llb, as
// upstream's tests call it), timing each. It reports the cost of each per Dockerfile and their ratio,
// measured side by side so that machine load affects both alike. The budget is ratio ≤ 0.5.
func BenchmarkAnalysisVsConversion(b *testing.B) {
	files, err := filepath.Glob("../testdata/corpus/clean/*.Dockerfile")
	if err != nil || len(files) == 0 {
		b.Fatalf("no corpus: %v", err)
	}
	var data [][]byte
	for _, f := range files {
		d, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		data = append(data, d)
	}
	ctx := context.Background()
	var analysisTime, conversionTime time.Duration
	for b.Loop() {
		for _, d := range data {
			start := time.Now()
			res, err := analysis.Analyze("Dockerfile", d, analysis.Options{Rewrite: true})
			if err != nil {
				b.Fatal(err)
			}
			analysis.Mask(res.File)
			mid := time.Now()
			if _, err := dockerfile2llb.Dockerfile2LLB(ctx, d, dockerfile2llb.ConvertOpt{MetaResolver: stubResolver{}}); err != nil {
				b.Fatal(err)
			}
			analysisTime += mid.Sub(start)
			conversionTime += time.Since(mid)
		}
	}
	n := float64(b.N * len(data))
	b.ReportMetric(float64(analysisTime.Nanoseconds())/n, "analysis-ns/file")
	b.ReportMetric(float64(conversionTime.Nanoseconds())/n, "conversion-ns/file")
	b.ReportMetric(float64(analysisTime)/float64(conversionTime), "analysis/conversion")
	b.ReportMetric(0, "ns/op") // the interesting numbers are above
}
