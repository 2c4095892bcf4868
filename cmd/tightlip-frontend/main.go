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
	"github.com/tightlip/tightlip/internal/version"
)

func main() {
	if len(os.Args) > 1 && (os.Args[1] == "--version" || os.Args[1] == "version") {
		fmt.Println("tightlip-frontend", version.String())
		return
	}
	fe := frontend.New(frontend.Options{Version: version.String()})
	if err := grpcclient.RunFromEnvironment(appcontext.Context(), fe.Build); err != nil {
		fmt.Fprintf(os.Stderr, "tightlip-frontend: %+v\n", err)
		os.Exit(1)
	}
}
