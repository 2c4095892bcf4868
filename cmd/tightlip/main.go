// Command tightlip runs tightlip's analysis outside a build: in CI and on laptops.
package main

import (
	"os"

	"github.com/tightlip/tightlip/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
