// Package version reports which tightlip build is running.
package version

import "runtime/debug"

// Version is set at link time (-X github.com/tightlip/tightlip/internal/version.Version=…); otherwise
// the module version recorded by the Go toolchain is used.
var Version = ""

// String returns the tightlip version, or "dev" for an unversioned build.
func String() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}
