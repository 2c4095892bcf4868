package analysis_test

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/moby/buildkit/frontend/dockerfile/dockerfile2llb"
	"golang.org/x/sys/unix"

	"github.com/tightlip/tightlip/analysis"
)

func threadNow() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		panic(err)
	}
	return time.Duration(ts.Nano())
}

// BenchmarkZZThread is BenchmarkAnalysisVsConversion timed with the thread's CPU time.
func BenchmarkZZThread(b *testing.B) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	data := corpusData(b)
	ctx := context.Background()
	var analysisTime, conversionTime time.Duration
	for b.Loop() {
		for _, d := range data {
			start := threadNow()
			res, err := analysis.Analyze("Dockerfile", d, analysis.Options{Rewrite: true})
			if err != nil {
				b.Fatal(err)
			}
			analysis.Mask(res.File)
			mid := threadNow()
			if _, err := dockerfile2llb.Dockerfile2LLB(ctx, d, dockerfile2llb.ConvertOpt{MetaResolver: stubResolver{}}); err != nil {
				b.Fatal(err)
			}
			analysisTime += mid - start
			conversionTime += threadNow() - mid
		}
	}
	n := float64(b.N * len(data))
	b.ReportMetric(float64(analysisTime.Nanoseconds())/n, "analysis-ns/file")
	b.ReportMetric(float64(conversionTime.Nanoseconds())/n, "conversion-ns/file")
	b.ReportMetric(float64(analysisTime)/float64(conversionTime), "analysis/conversion")
	b.ReportMetric(0, "ns/op")
}
