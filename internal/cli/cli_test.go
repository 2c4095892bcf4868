package cli

import (
	"crypto/rand"
	"math/big"
	"os"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"tightlip": func() { os.Exit(Main(os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"canary": cmdCanary,
			"image":  cmdImage,
		},
	})
}

// cmdCanary sets $CANARY to a random value in the format of a GitHub token and writes it into each
// named file in place of the word CANARY, so that no test input holds a fixed credential-like value.
func cmdCanary(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! canary")
	}
	value, err := randomToken()
	ts.Check(err)
	ts.Setenv("CANARY", value)
	for _, name := range args {
		data := ts.ReadFile(name)
		ts.Check(os.WriteFile(ts.MkAbs(name), []byte(strings.ReplaceAll(data, "CANARY", value)), 0o644))
	}
}

// randomToken returns a random value in the format of a GitHub personal access token.
func randomToken() (string, error) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	var b strings.Builder
	b.WriteString("ghp_")
	for range 36 {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		if err != nil {
			return "", err
		}
		b.WriteByte(alphabet[n.Int64()])
	}
	return b.String(), nil
}
