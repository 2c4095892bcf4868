package analysis_test

import (
	"bytes"
	"context"
	"os"
	"runtime"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/moby/buildkit/frontend/dockerfile/dockerfile2llb"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/tightlip/tightlip/analysis"
	"github.com/tightlip/tightlip/model"
	"github.com/tightlip/tightlip/rules"
)

func BenchmarkZZSplitWarm(b *testing.B) { split(b, true) }

func BenchmarkZZSplit(b *testing.B) { split(b, false) }

var ruleSet []*rules.Rule

func init() {
	switch os.Getenv("ZZRULES") {
	case "noflow":
		ruleSet = []*rules.Rule{rules.TL101, rules.TL102, rules.TL103, rules.TL110, rules.TL120, rules.TL121, rules.TL122}
	case "flow":
		ruleSet = []*rules.Rule{rules.TL201}
	}
}

func split(b *testing.B, warm bool) {
	data := corpusData(b)
	ctx := context.Background()
	var tParse, tModel, tRules, tRewrite, tMask, tConv time.Duration
	var tPI cpuTime
	now := cpuNow
	if os.Getenv("ZZWALL") != "" {
		now = func() cpuTime { return cpuTime(time.Now().UnixNano()) }
	}
	if os.Getenv("ZZTHREAD") != "" {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		now = func() cpuTime { return cpuTime(threadNow()) }
	}
	for b.Loop() {
		for _, d := range data {
			t0 := now()
			if _, err := parser.Parse(bytes.NewReader(d)); err != nil {
				b.Fatal(err)
			}
			t1 := now()
			if res, err := parser.Parse(bytes.NewReader(d)); err == nil {
				for _, n := range res.AST.Children {
					instructions.ParseInstruction(n)
				}
			}
			t1b := now()
			f, err := model.Parse("Dockerfile", d)
			if err != nil {
				b.Fatal(err)
			}
			t2 := now()
			fs := rules.Run(f, rules.Options{Rules: ruleSet})
			t3 := now()
			if warm {
				t2 = now()
				fs = rules.Run(f, rules.Options{})
				t3 = now()
			}
			analysis.SecretMounts(d, fs, 0)
			t4 := now()
			analysis.Mask(f)
			t5 := now()
			if _, err := dockerfile2llb.Dockerfile2LLB(ctx, d, dockerfile2llb.ConvertOpt{MetaResolver: stubResolver{}}); err != nil {
				b.Fatal(err)
			}
			t6 := now()
			tParse += t1.Sub(t0)
			tPI += cpuTime(t1b.Sub(t1))
			tModel += t2.Sub(t1b)
			tRules += t3.Sub(t2)
			tRewrite += t4.Sub(t3)
			tMask += t5.Sub(t4)
			tConv += t6.Sub(t5)
		}
	}
	c := float64(tConv)
	b.ReportMetric(float64(tParse)/c, "parse/conv")
	b.ReportMetric(float64(tModel)/c, "model/conv")
	b.ReportMetric(float64(tModel-tParse)/c, "modelx/conv")
	b.ReportMetric(float64(time.Duration(tPI)-tParse)/c, "pi/conv")
	b.ReportMetric(float64(tModel-time.Duration(tPI))/c, "own/conv")
	b.ReportMetric(float64(tRules)/c, "rules/conv")
	b.ReportMetric(float64(tRewrite)/c, "rewrite/conv")
	b.ReportMetric(float64(tMask)/c, "mask/conv")
	b.ReportMetric(float64(tModel+tRules+tRewrite+tMask)/c, "total/conv")
	b.ReportMetric(0, "ns/op")
}

type cpuTime int64

func (a cpuTime) Sub(b cpuTime) time.Duration { return time.Duration(a - b) }

func cpuNow() cpuTime {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_PROCESS_CPUTIME_ID, &ts); err != nil {
		panic(err)
	}
	return cpuTime(ts.Nano())
}
