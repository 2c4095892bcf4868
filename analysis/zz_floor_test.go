package analysis_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/moby/buildkit/frontend/dockerfile/dockerfile2llb"

	"github.com/tightlip/tightlip/analysis"
	"github.com/tightlip/tightlip/rules"
)

func BenchmarkZZFloor(b *testing.B) {
	data := corpusData(b)
	ctx := context.Background()
	opts := analysis.Options{Rewrite: true}
	if os.Getenv("ZZNORULES") != "" {
		opts.Rules = []*rules.Rule{}
	}
	if only := os.Getenv("ZZONLY"); only != "" {
		opts.Rules = []*rules.Rule{}
		for _, id := range strings.Split(only, ",") {
			opts.Rules = append(opts.Rules, rules.ByID(id))
		}
	}
	mask := os.Getenv("ZZNOMASK") == ""
	var analysisTime, conversionTime time.Duration
	for b.Loop() {
		for _, d := range data {
			start := time.Now()
			res, err := analysis.Analyze("Dockerfile", d, opts)
			if err != nil {
				b.Fatal(err)
			}
			if mask {
				analysis.Mask(res.File)
			}
			mid := time.Now()
			if _, err := dockerfile2llb.Dockerfile2LLB(ctx, d, dockerfile2llb.ConvertOpt{MetaResolver: stubResolver{}}); err != nil {
				b.Fatal(err)
			}
			analysisTime += mid.Sub(start)
			conversionTime += time.Since(mid)
		}
	}
	b.ReportMetric(float64(analysisTime)/float64(conversionTime), "analysis/conversion")
	b.ReportMetric(0, "ns/op")
}
