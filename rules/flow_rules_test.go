package rules_test

import (
	"testing"

	"github.com/tightlip/tightlip/rules"
	"github.com/tightlip/tightlip/rules/rulestest"
)

func TestTL201(t *testing.T) { rulestest.Run(t, rules.ByID("TL201"), "testdata/TL201") }
func TestTL202(t *testing.T) { rulestest.Run(t, rules.ByID("TL202"), "testdata/TL202") }
func TestTL203(t *testing.T) { rulestest.Run(t, rules.ByID("TL203"), "testdata/TL203") }
func TestTL301(t *testing.T) { rulestest.Run(t, rules.ByID("TL301"), "testdata/TL301") }
