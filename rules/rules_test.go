package rules_test

import (
	"os"
	"strings"
	"testing"

	"github.com/tightlip/tightlip/model"
	"github.com/tightlip/tightlip/rules"
	"github.com/tightlip/tightlip/rules/rulestest"
)

func TestTL101(t *testing.T) { rulestest.Run(t, rules.ByID("TL101"), "testdata/TL101") }
func TestTL102(t *testing.T) { rulestest.Run(t, rules.ByID("TL102"), "testdata/TL102") }
func TestTL103(t *testing.T) { rulestest.Run(t, rules.ByID("TL103"), "testdata/TL103") }
func TestTL110(t *testing.T) { rulestest.Run(t, rules.ByID("TL110"), "testdata/TL110") }
func TestTL120(t *testing.T) { rulestest.Run(t, rules.ByID("TL120"), "testdata/TL120") }
func TestTL121(t *testing.T) { rulestest.Run(t, rules.ByID("TL121"), "testdata/TL121") }
func TestTL122(t *testing.T) { rulestest.Run(t, rules.ByID("TL122"), "testdata/TL122") }

func TestTL401(t *testing.T) {
	cfg := &rules.Config{ImageAllowed: func(name string) bool {
		return name == "docker.io/library/golang" || strings.HasPrefix(name, "registry.example.com/base/")
	}}
	rulestest.RunConfig(t, []*rules.Rule{rules.TL401}, "testdata/TL401", cfg)
}

// TestImageRulesNeedPolicy: without a policy that configures them, TL401 and TL402 find nothing.
func TestImageRulesNeedPolicy(t *testing.T) {
	for _, dir := range []string{"testdata/TL401", "testdata/TL402"} {
		data, err := os.ReadFile(dir + "/images.Dockerfile")
		if err != nil {
			t.Fatal(err)
		}
		f, err := model.Parse("Dockerfile", data)
		if err != nil {
			t.Fatal(err)
		}
		if fds := rules.Run(f, rules.Options{Rules: []*rules.Rule{rules.TL401, rules.TL402}}); len(fds) != 0 {
			t.Errorf("%s: %v", dir, fds)
		}
	}
}

func TestTL402(t *testing.T) {
	rulestest.RunConfig(t, []*rules.Rule{rules.TL402}, "testdata/TL402", &rules.Config{RequireDigest: true})
}
