//go:build e2e

package e2e

import (
	"bytes"
	"compress/gzip"
	"io"
	"strings"
	"testing"
)

// assertNoCanary fails when value appears in any of the outputs, or anywhere in an OCI tarball given by
// path: index, manifests, configs (history included), attestations and every layer, decompressed.
func assertNoCanary(t *testing.T, value string, output string, tarballs ...string) {
	t.Helper()
	if strings.Contains(output, value) {
		t.Errorf("the secret value appears in the client output")
	}
	for _, tarball := range tarballs {
		blobs, err := readTar(tarball)
		if err != nil {
			t.Fatal(err)
		}
		for name, data := range blobs {
			if bytes.Contains(data, []byte(value)) {
				t.Errorf("the secret value appears in %s of %s", name, tarball)
			}
			if len(data) > 2 && data[0] == 0x1f && data[1] == 0x8b {
				zr, err := gzip.NewReader(bytes.NewReader(data))
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				plain, err := io.ReadAll(zr)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if bytes.Contains(plain, []byte(value)) {
					t.Errorf("the secret value appears in layer %s of %s", name, tarball)
				}
			}
		}
	}
}
