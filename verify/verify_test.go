package verify

import (
	"archive/tar"
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/tightlip/tightlip/internal/canary"
	"github.com/tightlip/tightlip/rules"
)

// entry is one member of a layer's tar.
type entry struct {
	name string
	body string
	dir  bool
}

func file(name, body string) entry { return entry{name: name, body: body} }
func dir(name string) entry        { return entry{name: name, dir: true} }

func tarBytes(t testing.TB, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		hdr := &tar.Header{Name: e.name, Mode: 0o644, Size: int64(len(e.body)), Typeflag: tar.TypeReg}
		if e.dir {
			hdr = &tar.Header{Name: e.name + "/", Mode: 0o755, Typeflag: tar.TypeDir}
		}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(tw, e.body); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func layerOf(t testing.TB, entries ...entry) v1.Layer {
	t.Helper()
	data := tarBytes(t, entries...)
	l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil })
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// step is one Dockerfile instruction of a test image: with entries, it makes a layer.
type step struct {
	createdBy string
	layer     []entry
	empty     bool // no layer
}

func run(createdBy string, entries ...entry) step { return step{createdBy: createdBy, layer: entries} }
func meta(createdBy string) step                  { return step{createdBy: createdBy, empty: true} }

// build makes an image in memory from the steps and config.
func build(t testing.TB, cfg v1.Config, steps ...step) v1.Image {
	t.Helper()
	img := empty.Image
	var history []v1.History
	for _, s := range steps {
		if s.empty {
			history = append(history, v1.History{CreatedBy: s.createdBy, EmptyLayer: true})
			continue
		}
		var err error
		img, err = mutate.Append(img, mutate.Addendum{Layer: layerOf(t, s.layer...)})
		if err != nil {
			t.Fatal(err)
		}
		history = append(history, v1.History{CreatedBy: s.createdBy})
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	cf = cf.DeepCopy()
	cf.History = history
	cf.Config = cfg
	cf.OS, cf.Architecture = "linux", "amd64"
	img, err = mutate.ConfigFile(img, cf)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func verifyImage(t *testing.T, img v1.Image, opts Options) *Report {
	t.Helper()
	r, err := Image(t.Context(), img, opts)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// assertNoValue fails when a finding shows a value.
func assertNoValue(t *testing.T, r *Report, values ...string) {
	t.Helper()
	for _, f := range r.Findings {
		for _, v := range values {
			for _, text := range []string{f.Message, f.Snippet, f.Path, f.Artifact()} {
				if strings.Contains(text, v) {
					t.Errorf("a finding shows a credential: %q", text)
				}
			}
		}
	}
	for _, l := range r.Layers {
		for _, v := range values {
			if strings.Contains(l.CreatedBy, v) {
				t.Errorf("a layer's created_by shows a credential: %q", l.CreatedBy)
			}
		}
	}
}

func describe(r *Report) string {
	var b strings.Builder
	for _, f := range r.Findings {
		line, col, _ := f.Position()
		fmt.Fprintf(&b, "%s:%d:%d: %s %s: %s\n", f.Artifact(), line, col, f.Severity, f.Check.ID, f.Message)
	}
	return b.String()
}

// findingsOf returns the findings of a check.
func findingsOf(r *Report, c *Check) []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if f.Check == c {
			out = append(out, f)
		}
	}
	return out
}

var base = []step{
	run("COPY busybox /bin/busybox # buildkit", file("bin/busybox", "\x7fELF\x00\x01binary"+strings.Repeat("\x00x", 100))),
	run("RUN /bin/busybox --install # buildkit", dir("etc"), file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"), file("etc/group", "root:x:0:\n")),
	meta("ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
	meta(`CMD ["sh"]`),
}

func TestCleanImage(t *testing.T) {
	steps := append(append([]step{}, base...),
		meta("ARG NPM_TOKEN"),
		run("RUN /bin/sh -c npm ci # buildkit", file("app/package.json", `{"name": "app"}`), file("app/.npmrc", "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n")),
		meta("ENV API_KEY_FILE=/run/secrets/api_key"),
	)
	img := build(t, v1.Config{
		Env:    []string{"PATH=/usr/bin:/bin", "API_KEY_FILE=/run/secrets/api_key", "GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D", "NPM_TOKEN="},
		Labels: map[string]string{"org.opencontainers.image.source": "https://github.com/acme/app"},
		Cmd:    []string{"sh"},
	}, steps...)
	secret := canary.String(t, 32)
	r := verifyImage(t, img, Options{Secrets: []Secret{{Name: "NPM_TOKEN", Value: secret}}})
	if len(r.Findings) != 0 {
		t.Errorf("a clean image has findings:\n%s", describe(r))
	}
	if len(r.Layers) != 3 || r.Files != 5 {
		t.Errorf("read %d layers and %d files, want 3 and 5", len(r.Layers), r.Files)
	}
	if got := r.Layers[2].CreatedBy; got != "RUN /bin/sh -c npm ci # buildkit" || r.Layers[2].History != 5 {
		t.Errorf("layer 2 is attributed to history entry %d %q", r.Layers[2].History, got)
	}
	if r.Layers[0].Digest == (v1.Hash{}) || r.Layers[0].DiffID == (v1.Hash{}) {
		t.Errorf("layer 0 has no digest or diff ID: %+v", r.Layers[0])
	}
}

func TestConfig(t *testing.T) {
	password := canary.String(t, 20)
	tok := canary.GitHubToken(t)
	labelTok := canary.GitHubToken(t)
	img := build(t, v1.Config{
		Env:    []string{"PATH=/bin", "DB_PASSWORD=" + password, "GIT_REMOTE=https://x-access-token:" + tok + "@github.com/acme/app.git", "ADMIN_PASSWORD=changeme-placeholder"},
		Labels: map[string]string{"a.first": "nothing", "b.token": labelTok},
		Cmd:    []string{"sh", "-c", "curl -H 'Authorization: Bearer " + tok + "' https://api.example.net"},
	}, base...)
	r := verifyImage(t, img, Options{})
	want := []string{
		"config/Env:2:0: error TLV101: ENV DB_PASSWORD holds a credential (20 chars) in the image config",
		"config/Env:3:0: error TLV102: ENV GIT_REMOTE holds a GitHub personal access token ghp_… (40 chars)",
		"config/Labels:2:0: error TLV102: LABEL b.token holds a GitHub personal access token ghp_… (40 chars)",
		"config/Cmd:3:0: error TLV102: Cmd argument 3 holds a GitHub personal access token ghp_… (40 chars)",
	}
	got := describe(r)
	for _, w := range want {
		if !strings.Contains(got, w+"\n") {
			t.Errorf("missing %q in:\n%s", w, got)
		}
	}
	if n := len(r.Findings); n != len(want) {
		t.Errorf("%d findings, want %d:\n%s", n, len(want), got)
	}
	assertNoValue(t, r, password, tok, labelTok)
}

func TestHistory(t *testing.T) {
	npm := canary.String(t, 36)
	tok := canary.GitHubToken(t)
	old := canary.String(t, 24)
	steps := append(append([]step{}, base...),
		meta("ARG NPM_TOKEN"),
		meta("ARG VERSION=1.2.3"),
		meta("ENV API_PASSWORD="+old),
		run("RUN |2 NPM_TOKEN="+npm+" VERSION=1.2.3 /bin/sh -c npm ci # buildkit", file("app/index.js", "console.log(1)\n")),
		run("RUN /bin/sh -c git clone https://x:"+tok+"@github.com/acme/lib.git # buildkit", file("lib/README", "lib\n")),
		meta("ENV API_PASSWORD="),
	)
	img := build(t, v1.Config{Env: []string{"PATH=/bin", "API_PASSWORD="}}, steps...)
	r := verifyImage(t, img, Options{})
	got := describe(r)
	for _, w := range []string{
		"history:7:0: error TLV104: ENV API_PASSWORD (24 chars) is recorded in history entry 7 (the final config no longer sets it)",
		"history:8:0: error TLV103: build argument NPM_TOKEN (36 chars) is recorded in history entry 8 (layer 2): pass it as a secret (--secret id=NPM_TOKEN) instead",
		"history:9:0: error TLV104: history entry 9 (layer 3) holds a GitHub personal access token ghp_… (40 chars)",
	} {
		if !strings.Contains(got, w+"\n") {
			t.Errorf("missing %q in:\n%s", w, got)
		}
	}
	if len(r.Findings) != 3 {
		t.Errorf("%d findings, want 3:\n%s", len(r.Findings), got)
	}
	arg := findingsOf(r, HistoryBuildArg)[0]
	if arg.Layer == nil || arg.Layer.Index != 2 {
		t.Errorf("the build argument's entry is not attributed to layer 2: %+v", arg.Layer)
	}
	if want := "RUN |2 NPM_TOKEN=" + strings.Repeat("*", 36) + " VERSION=1.2.3 /bin/sh -c npm ci # buildkit"; arg.Snippet != want || r.Layers[2].CreatedBy != want {
		t.Errorf("snippet %q, layer created_by %q, want %q", arg.Snippet, r.Layers[2].CreatedBy, want)
	}
	assertNoValue(t, r, npm, tok, old)
}

func TestRunBuildArgs(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
	}{
		{"RUN |1 NPM_TOKEN=abc /bin/sh -c npm ci", "NPM_TOKEN=abc"},
		{"|2 A=1 B=two words /bin/sh -c x", "A=1 B=two"},
		{"RUN |2 A=one two B=2 /bin/sh -c x", "A=one two B=2"},
		{"RUN |1 EMPTY= /bin/sh -c x", "EMPTY="},
		{"RUN /bin/sh -c echo |1 A=b", ""},
		{"RUN |x A=b", ""},
	} {
		var got []string
		for _, a := range runBuildArgs(tc.in) {
			if a.value != tc.in[a.start:a.end] {
				t.Errorf("%q: value %q at %d:%d", tc.in, a.value, a.start, a.end)
			}
			got = append(got, a.name+"="+a.value)
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("runBuildArgs(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestLayerFiles(t *testing.T) {
	npm := canary.String(t, 40)
	tok := canary.GitHubToken(t)
	binTok := canary.GitHubToken(t)
	steps := append(append([]step{}, base...),
		run("COPY .npmrc /app/.npmrc # buildkit", file("app/.npmrc", "//registry.npmjs.org/:_authToken="+npm+"\n")),
		run("RUN /bin/sh -c make # buildkit",
			file("app/config.yml", "name: app\nremote:\n    url: https://github.com/acme\n    token: "+tok+"\nother: "+canary.GitHubToken(t)+"\n"),
			file("app/server", "\x7fELF\x00\x00"+binTok+"\x00"),
			file("app/cert.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"),
			file("app/.env.example", "API_KEY=your-key-here\n"),
		),
		run("RUN /bin/sh -c npm ci && rm /app/.npmrc # buildkit", file("app/.wh..npmrc", ""), file("app/node_modules/x.js", "x\n")),
	)
	img := build(t, v1.Config{}, steps...)
	r := verifyImage(t, img, Options{})
	got := describe(r)
	for _, w := range []string{
		"layer/2/app/.npmrc:1:34: error TLV112: /app/.npmrc holds npm registry credentials: deleted in layer 4 but still shipped in layer 2",
		"layer/3/app/config.yml:4:12: error TLV111: /app/config.yml holds a GitHub personal access token ghp_… (40 chars) (and 1 more), in layer 3",
	} {
		if !strings.Contains(got, w+"\n") {
			t.Errorf("missing %q in:\n%s", w, got)
		}
	}
	if len(r.Findings) != 2 {
		t.Errorf("%d findings, want 2 (the binary is not searched for formats, the certificate holds no key):\n%s", len(r.Findings), got)
	}
	del := findingsOf(r, LayerDeleted)
	if len(del) != 1 || del[0].Layer.Index != 2 || del[0].RemovedIn == nil || del[0].RemovedIn.Index != 4 {
		t.Fatalf("deleted finding: %+v", del)
	}
	if del[0].Layer.CreatedBy != "COPY .npmrc /app/.npmrc # buildkit" || del[0].RemovedIn.CreatedBy != "RUN /bin/sh -c npm ci && rm /app/.npmrc # buildkit" {
		t.Errorf("the layers are not attributed to their instructions: %q, %q", del[0].Layer.CreatedBy, del[0].RemovedIn.CreatedBy)
	}
	assertNoValue(t, r, npm, tok, binTok)
}

// A whiteout of a directory, an opaque directory and a file replaced by a later layer all leave the
// earlier layer's credential in the image.
func TestRemovedLater(t *testing.T) {
	key := "-----BEGIN OPENSSH PRIVATE KEY-----\n" + base64.StdEncoding.EncodeToString([]byte(canary.String(t, 120))) + "\n-----END OPENSSH PRIVATE KEY-----\n"
	steps := []step{
		run("COPY id_rsa /root/.ssh/id_rsa # buildkit", dir("root"), dir("root/.ssh"), file("root/.ssh/id_rsa", key)),
		run("COPY .env /srv/.env # buildkit", file("srv/.env", "DB_PASSWORD="+canary.String(t, 16)+"\n"), file("opt/a/.git-credentials", "https://u:"+canary.String(t, 20)+"@github.com\n")),
		run("RUN /bin/sh -c rm -rf /root/.ssh # buildkit", file("root/.wh..ssh", "")),
		run("RUN /bin/sh -c echo > /srv/.env # buildkit", file("srv/.env", "\n")),
		run("RUN /bin/sh -c rm -rf /opt/a && mkdir /opt/a # buildkit", dir("opt/a"), file("opt/a/.wh..wh..opq", "")),
	}
	r := verifyImage(t, build(t, v1.Config{}, steps...), Options{})
	got := describe(r)
	for _, w := range []string{
		"layer/0/root/.ssh/id_rsa:1:1: error TLV112: /root/.ssh/id_rsa holds SSH private key: deleted in layer 2 but still shipped in layer 0",
		"layer/1/srv/.env:0:0: error TLV112: /srv/.env holds environment file with credentials: replaced in layer 3 but still shipped in layer 1",
		"layer/1/opt/a/.git-credentials:1:11: error TLV112: /opt/a/.git-credentials holds Git credentials: deleted in layer 4 but still shipped in layer 1",
	} {
		if !strings.Contains(got, w+"\n") {
			t.Errorf("missing %q in:\n%s", w, got)
		}
	}
	if len(r.Findings) != 3 {
		t.Errorf("%d findings, want 3:\n%s", len(r.Findings), got)
	}
}

// A credential that a chunk boundary cuts is found once, at its line.
func TestChunkBoundary(t *testing.T) {
	tok := canary.GitHubToken(t)
	for _, at := range []int{chunkSize - 10, chunkSize - minOverlap - 3, chunkSize + 5, 3*chunkSize - 2*minOverlap - 20} {
		line := strings.Repeat("x", 99) + "\n"
		filler := strings.Repeat(line, at/len(line)) + strings.Repeat(" ", at%len(line))
		body := filler + tok + "\n" + strings.Repeat(line, 5000)
		img := build(t, v1.Config{}, run("COPY big.txt /big.txt", file("big.txt", body)))
		r := verifyImage(t, img, Options{})
		if len(r.Findings) != 1 {
			t.Errorf("at %d: %d findings, want 1:\n%s", at, len(r.Findings), describe(r))
			continue
		}
		f := r.Findings[0]
		if wantLine, wantCol := at/len(line)+1, at%len(line)+1; f.Line != wantLine || f.Column != wantCol || f.EndColumn != wantCol+len(tok) {
			t.Errorf("at %d: found at %d:%d-%d, want %d:%d", at, f.Line, f.Column, f.EndColumn, wantLine, wantCol)
		}
		if strings.Contains(f.Message, "more") {
			t.Errorf("at %d: counted twice: %s", at, f.Message)
		}
	}
}

// Known values are found raw and encoded, in files (binary ones too), the history and the config,
// and never shown.
func TestKnownValues(t *testing.T) {
	secret := "s3cr3t/" + canary.String(t, 25) + "+&\"x"
	encodings := map[string]string{
		"raw":          "prefix " + secret + " suffix",
		"base64":       base64.StdEncoding.EncodeToString([]byte("user:" + secret)),
		"base64 at 1":  base64.StdEncoding.EncodeToString([]byte("u:" + secret + "!")),
		"base64 at 2":  base64.StdEncoding.EncodeToString([]byte("us:" + secret + "!!")),
		"base64url":    base64.URLEncoding.EncodeToString([]byte(secret)),
		"URL-encoded":  "https://example.net/?t=" + url.QueryEscape(secret),
		"hex":          hex.EncodeToString([]byte(secret)),
		"JSON-escaped": `{"password": "` + strings.ReplaceAll(secret, `"`, `\"`) + `"}`,
		"binary":       "\x00\x01" + secret + "\x00",
	}
	var entries []entry
	for name, content := range encodings {
		entries = append(entries, file("data/"+strings.ReplaceAll(name, " ", "-"), content))
	}
	other := canary.String(t, 30)
	steps := append(append([]step{}, base...),
		run("RUN |1 SEED="+secret+" /bin/sh -c make # buildkit", entries...),
	)
	img := build(t, v1.Config{Env: []string{"PATH=/bin"}, WorkingDir: "/w/" + other}, steps...)
	r := verifyImage(t, img, Options{Secrets: []Secret{{Name: "SEED", Value: secret}, {Name: "file other.txt", Value: other}}})
	got := describe(r)
	for name := range encodings {
		p := "layer/2/data/" + strings.ReplaceAll(name, " ", "-")
		if !strings.Contains(got, p+":") {
			t.Errorf("the %s encoding is not found:\n%s", name, got)
		}
	}
	for _, w := range []string{
		"history:5:0: error TLV120: the value of secret SEED (36 chars) is in history entry 5 (layer 2)\n",
		"config:0:0: error TLV120: the value of secret file other.txt (30 chars) is in the image config\n",
		"layer/2/data/raw:1:8: error TLV120: the value of secret SEED (36 chars) is in /data/raw, in layer 2\n",
		"layer/2/data/hex:1:1: error TLV120: the value of secret SEED (36 chars) is in /data/hex, hex-encoded, in layer 2\n",
	} {
		if !strings.Contains(got, w) {
			t.Errorf("missing %q in:\n%s", w, got)
		}
	}
	if n := len(findingsOf(r, KnownValue)); n != len(encodings)+2 {
		t.Errorf("%d known-value findings, want %d:\n%s", n, len(encodings)+2, got)
	}
	assertNoValue(t, r, secret, other)
	if strings.Contains(r.Layers[2].CreatedBy, secret) || !strings.Contains(r.Layers[2].CreatedBy, "SEED=***") {
		t.Errorf("created_by is not masked: %q", r.Layers[2].CreatedBy)
	}

	if _, err := Image(t.Context(), img, Options{Secrets: []Secret{{Name: "SHORT", Value: "abc"}}}); err == nil || !strings.Contains(err.Error(), "SHORT") {
		t.Errorf("a short secret is accepted: %v", err)
	}
}

func TestSeverityOfMaybe(t *testing.T) {
	img := build(t, v1.Config{}, run("COPY state /", file("infra/terraform.tfstate", `{"version": 4}`)))
	r := verifyImage(t, img, Options{})
	if len(r.Findings) != 1 || r.Findings[0].Severity != rules.Warning || r.Errors() != 0 {
		t.Errorf("a maybe-credential file is not a warning:\n%s", describe(r))
	}
}

// A known secret found where another finding already is becomes a note on that finding.
func TestKnownValueNotes(t *testing.T) {
	npm := canary.String(t, 36)
	steps := append(append([]step{}, base...),
		meta("ARG NPM_TOKEN="+npm),
		run("COPY .npmrc /app/.npmrc # buildkit", file("app/.npmrc", "//registry.npmjs.org/:_authToken="+npm+"\n")),
		run("RUN |1 NPM_TOKEN="+npm+" /bin/sh -c npm ci # buildkit", file("app/index.js", "x\n")),
		run("RUN |1 NPM_TOKEN="+npm+" /bin/sh -c rm /app/.npmrc # buildkit", file("app/.wh..npmrc", "")),
	)
	img := build(t, v1.Config{}, steps...)
	r := verifyImage(t, img, Options{Secrets: []Secret{{Name: "NPM_TOKEN", Value: npm}}})
	got := describe(r)
	for _, w := range []string{
		"history:5:0: error TLV103: build argument NPM_TOKEN (36 chars) is recorded in history entry 5 (the value of secret NPM_TOKEN): pass it as a secret (--secret id=NPM_TOKEN) instead\n",
		"history:7:0: error TLV103: build argument NPM_TOKEN (36 chars) is recorded in history entry 7 (layer 3) (the value of secret NPM_TOKEN): pass it as a secret (--secret id=NPM_TOKEN) instead\n",
		"layer/2/app/.npmrc:1:34: error TLV112: /app/.npmrc holds npm registry credentials (the value of secret NPM_TOKEN): deleted in layer 4 but still shipped in layer 2\n",
	} {
		if !strings.Contains(got, w) {
			t.Errorf("missing %q in:\n%s", w, got)
		}
	}
	if n := len(findingsOf(r, KnownValue)); n != 0 || len(r.Findings) != 4 {
		t.Errorf("%d findings, %d of known values; want 4 and 0:\n%s", len(r.Findings), n, got)
	}
	assertNoValue(t, r, npm)
}
