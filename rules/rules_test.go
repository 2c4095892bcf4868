package rules_test

import (
	"testing"

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
