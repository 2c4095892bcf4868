// Command tightlip-frontend is the BuildKit gateway frontend that a Dockerfile loads with
// `# syntax=<registry>/tightlip`.
package main

import (
	"fmt"
	"os"

	"github.com/moby/buildkit/frontend/gateway/grpcclient"
	"github.com/moby/buildkit/util/appcontext"
	_ "github.com/moby/buildkit/util/grpcutil/encoding/proto" // the gateway's gRPC codec

	"github.com/tightlip/tightlip/frontend"
	"github.com/tightlip/tightlip/internal/inbuild"
	"github.com/tightlip/tightlip/internal/version"
)

func main() {
	if len(os.Args) > 1 && (os.Args[1] == "--version" || os.Args[1] == "version") {
		fmt.Println("tightlip-frontend", version.String())
		return
	}
	// The hidden scan mode runs inside a build: the frontend starts its own image with it to search the
	// built layers for the build's secret values (docs/verification.md).
	if len(os.Args) > 1 && os.Args[1] == "scan" {
		os.Exit(inbuild.Main(os.Args[2:], os.Stdout, os.Stderr))
	}
	fe := frontend.New(frontend.Options{Version: version.String()})
	if err := grpcclient.RunFromEnvironment(appcontext.Context(), fe.Build); err != nil {
		fmt.Fprintf(os.Stderr, "tightlip-frontend: %+v\n", err)
		os.Exit(1)
	}
}
