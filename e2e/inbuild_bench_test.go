//go:build e2e

package e2e

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/moby/buildkit/client"
	"github.com/moby/buildkit/session"
	"github.com/moby/buildkit/session/secrets/secretsprovider"
	"github.com/tonistiigi/fsutil"

	"github.com/tightlip/tightlip/frontend"
	"github.com/tightlip/tightlip/internal/canary"
)

// benchDockerfile is a multi-layer build of realistic shape: sources copied in, a secret used by two
// steps, generated and binary files, an archive, a cleanup that deletes files earlier layers ship.
const benchDockerfile = `FROM busybox
WORKDIR /app
COPY src/ /app/src/
RUN --network=none --mount=type=secret,id=tok test -s /run/secrets/tok && mkdir -p build && tar -cf build/src.tar src
RUN --network=none dd if=/dev/urandom of=build/blob bs=1M count=16 2>/dev/null
RUN --network=none --mount=type=secret,id=tok,env=TOK for i in $(seq 300); do echo "artifact $i ${#TOK}" >build/a$i.txt; done
RUN --network=none gzip -k build/src.tar
COPY README /app/
RUN --network=none rm -rf src build/src.tar
`

// The added wall time of verification: the same multi-layer build in-process with verification off
// and on, without the cache and with it, alternating, medians reported. Opt-in (hack/bench-verify.sh):
// it takes minutes.
func TestInBuildVerifyOverhead(t *testing.T) {
	runs, _ := strconv.Atoi(os.Getenv("TIGHTLIP_BENCH_VERIFY"))
	if runs == 0 {
		t.Skip("set TIGHTLIP_BENCH_VERIFY=RUNS (hack/bench-verify.sh)")
	}
	files := map[string]string{"Dockerfile": benchDockerfile, "README": "bench\n"}
	for i := range 1500 { // 1500 text files of 16 KiB: 24 MB of sources
		b := make([]byte, 12<<10)
		rand.Read(b)
		files[fmt.Sprintf("src/pkg%02d/file%04d.txt", i%30, i)] = base64.StdEncoding.EncodeToString(b)
	}
	dir := writeDir(t, files)
	secret := canary.Value(t)
	on := frontend.Options{Version: h.version, Verification: frontend.Verification{Image: h.image}}
	off := frontend.Options{Verification: frontend.Verification{Mode: frontend.VerifyOff}}

	var report []string
	for _, cached := range []bool{false, true} {
		times := map[string][]time.Duration{}
		var line string
		for i := -1; i < runs; i++ { // run -1 warms the cache and the scanner image
			for _, mode := range []string{"off", "on"} {
				opts := off
				if mode == "on" {
					opts = on
				}
				d, vertices := timeBuild(t, dir, secret, opts, !cached)
				if i >= 0 {
					times[mode] = append(times[mode], d)
				}
				for _, v := range vertices {
					if strings.HasPrefix(v, "[tightlip] verified") {
						line = v
					}
				}
			}
		}
		moff, mon := median(times["off"]), median(times["on"])
		kind := "without the cache"
		if cached {
			kind = "fully cached"
		}
		report = append(report, fmt.Sprintf("%s, median of %d: verification off %s, on %s, added %s (x%.2f); %s",
			kind, runs, moff.Round(time.Millisecond), mon.Round(time.Millisecond), (mon-moff).Round(time.Millisecond), float64(mon)/float64(moff), line))
	}
	for _, l := range report {
		t.Log(l)
	}
	if out := os.Getenv("TIGHTLIP_BENCH_OUT"); out != "" {
		if err := os.WriteFile(out, []byte(strings.Join(report, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func median(ds []time.Duration) time.Duration {
	ds = slices.Clone(ds)
	slices.Sort(ds)
	if len(ds) == 0 {
		return 0
	}
	return ds[len(ds)/2]
}

type discard struct{ io.Writer }

func (discard) Close() error { return nil }

// timeBuild builds dir in-process with the secret tok, exporting the OCI image to nowhere, and returns
// the wall time and the names of the vertices.
func timeBuild(t *testing.T, dir, secret string, opts frontend.Options, noCache bool) (time.Duration, []string) {
	t.Helper()
	ctx := t.Context()
	c, fs := h.client(t, dir)
	attrs := map[string]string{"context:busybox": "docker-image://" + h.busybox}
	if noCache {
		attrs["no-cache"] = ""
	}
	opt := client.SolveOpt{
		LocalMounts:   map[string]fsutil.FS{"context": fs, "dockerfile": fs},
		FrontendAttrs: attrs,
		Exports: []client.ExportEntry{{Type: client.ExporterOCI, Output: func(map[string]string) (io.WriteCloser, error) {
			return discard{io.Discard}, nil
		}}},
		Session: []session.Attachable{secretsprovider.FromMap(map[string][]byte{"tok": []byte(secret)})},
	}
	ch := make(chan *client.SolveStatus)
	done := make(chan struct{})
	var vertices []string
	go func() {
		defer close(done)
		for st := range ch {
			for _, v := range st.Vertexes {
				vertices = append(vertices, v.Name)
			}
		}
	}()
	start := time.Now()
	_, err := c.Build(ctx, opt, "tightlip", frontend.New(opts).Build, ch)
	d := time.Since(start)
	<-done
	if err != nil {
		t.Fatal(err)
	}
	return d, vertices
}
