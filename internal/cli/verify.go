package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/tightlip/tightlip/internal/report"
	"github.com/tightlip/tightlip/verify"
)

// verifyDocs is where the image checks are documented: a check's section is verifyDocs + "#" + its
// heading's anchor.
const verifyDocs = "https://github.com/tightlip/tightlip/blob/main/docs/cli.md"

func checkDocURL(c *verify.Check) string {
	return verifyDocs + "#" + strings.ToLower(c.ID) + "-" + c.Name
}

// progressThreshold is the image size from which verify reports each layer on stderr even when stderr
// is not a terminal.
const progressThreshold = 64 << 20

// stringList is a repeatable flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(s string) error { *l = append(*l, s); return nil }

func runVerify(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("verify", "[flags] IMAGE", stderr)
	var secretEnvs, secretFiles stringList
	fs.Var(&secretEnvs, "secret-env", "search for the value of environment variable `NAME`, raw and encoded (repeatable); never printed")
	fs.Var(&secretFiles, "secret-file", "search for the content of `FILE`, raw and encoded (repeatable); never printed")
	outFormat := formatFlag(fs)
	fs.Usage = func() {
		fmt.Fprint(stderr, `usage: tightlip verify [flags] IMAGE

IMAGE is an OCI layout directory, a tar file (an OCI layout, or made by docker save), or a registry
reference (plain HTTP for localhost and 127.0.0.1).

`)
		fs.PrintDefaults()
	}
	pos, code, stop := parseArgs(fs, args)
	if stop {
		return code
	}
	if len(pos) != 1 {
		fs.Usage()
		return exitUsage
	}
	ref := pos[0]
	var secrets []verify.Secret
	for _, name := range secretEnvs {
		value, ok := os.LookupEnv(name)
		if !ok || value == "" {
			fmt.Fprintf(stderr, "tightlip: --secret-env %s: the variable is not set\n", name)
			return exitUsage
		}
		secrets = append(secrets, verify.Secret{Name: name, Value: value})
	}
	for _, file := range secretFiles {
		data, err := os.ReadFile(file)
		if err != nil {
			fmt.Fprintf(stderr, "tightlip: --secret-file: %v\n", err)
			return exitUsage
		}
		secrets = append(secrets, verify.Secret{Name: "file " + file, Value: strings.TrimRight(string(data), "\r\n")})
	}
	for _, s := range secrets {
		if len(s.Value) < verify.MinSecretLen {
			fmt.Fprintf(stderr, "tightlip: secret %s is shorter than %d bytes: too short to search for\n", s.Name, verify.MinSecretLen)
			return exitUsage
		}
	}

	ctx := context.Background()
	src, err := verify.Open(ctx, ref)
	if err != nil {
		fmt.Fprintf(stderr, "tightlip: %v\n", err)
		return exitUsage
	}
	defer src.Close()

	rep := newReport("verify")
	for _, c := range verify.Checks() {
		rep.Rules = append(rep.Rules, report.Rule{
			ID: c.ID, Name: c.Name, Severity: c.Severity.String(), Summary: c.Summary, Doc: c.Doc,
			HelpURI: checkDocURL(c), Tags: []string{"security", "credentials", "container-image"},
		})
	}
	rep.Image = &report.Image{Ref: ref}
	show := showProgress(stderr, ref)
	nErrors := 0
	for _, target := range src.Images {
		opts := verify.Options{Secrets: secrets, NoLayerDigests: target.NoLayerDigests}
		opts.Progress = func(p verify.Progress) {
			if show(p) {
				fmt.Fprintf(stderr, "%slayer %d/%d %s %s, %s\n", platformPrefix(src, target), p.Layer.Index+1, p.Layers,
					shortDigest(hashString(p.Layer.Digest), hashString(p.Layer.DiffID)), size(p.Bytes), plural(p.Files, "file"))
			}
		}
		res, err := verify.Image(ctx, target.Image, opts)
		if err != nil {
			fmt.Fprintf(stderr, "tightlip: %s%s: %v\n", platformPrefix(src, target), ref, err)
			return exitUsage
		}
		nErrors += res.Errors()
		addImage(rep, src, target, res)
	}
	im := rep.Image
	summary := fmt.Sprintf("%s in %s (%s, %s, %s)", counts(rep.Summary()), ref, plural(im.Layers, "layer"), plural(im.Files, "file"), size(im.Bytes))
	if len(im.Images) > 1 {
		summary = fmt.Sprintf("%s in %s (%d images, %s, %s, %s)", counts(rep.Summary()), ref, len(im.Images), plural(im.Layers, "layer"), plural(im.Files, "file"), size(im.Bytes))
	}
	if err := write(*outFormat, rep, stdout, stderr, "", summary); err != nil {
		fmt.Fprintf(stderr, "tightlip: %v\n", err)
		return exitUsage
	}
	if nErrors > 0 {
		return exitFindings
	}
	return exitOK
}

// platformPrefix names the image of a multi-platform source in paths and messages: "linux/arm64/".
func platformPrefix(src *verify.Source, t verify.Target) string {
	if len(src.Images) < 2 || t.Platform == "" {
		return ""
	}
	return t.Platform + "/"
}

// addImage adds one image's findings to the report.
func addImage(rep *report.Report, src *verify.Source, t verify.Target, res *verify.Report) {
	prefix := platformPrefix(src, t)
	part := report.Part{Platform: t.Platform, Layers: len(res.Layers)}
	if t.Digest != (v1.Hash{}) {
		part.Digest = t.Digest.String()
	}
	rep.Image.Images = append(rep.Image.Images, part)
	rep.Image.Layers += len(res.Layers)
	rep.Image.Files += res.Files
	rep.Image.Bytes += res.Bytes
	layer := func(l *verify.Layer) *report.Layer {
		if l == nil {
			return nil
		}
		return &report.Layer{Index: l.Index, Digest: hashString(l.Digest), DiffID: hashString(l.DiffID), CreatedBy: l.CreatedBy, Platform: strings.TrimSuffix(prefix, "/")}
	}
	for _, f := range res.Findings {
		rf := report.Finding{
			RuleID: f.Check.ID, RuleName: f.Check.Name, Severity: f.Severity.String(), Message: f.Message,
			Snippet: f.Snippet, Doc: checkDocURL(f.Check), Path: f.Path, Layer: layer(f.Layer), RemovedIn: layer(f.RemovedIn),
		}
		if line, col, end := f.Position(); line > 0 {
			rf.Range = &report.Range{Start: report.Position{Line: line, Column: col}, End: report.Position{Line: line, Column: end}}
		}
		file := rep.File(prefix + f.Artifact())
		file.Findings = append(file.Findings, rf)
	}
}

func hashString(h v1.Hash) string {
	if h == (v1.Hash{}) {
		return ""
	}
	return h.String()
}

// showProgress decides whether to report each layer on stderr: when stderr is a terminal, or the image
// is large (its compressed layers, or the tar file, over progressThreshold).
func showProgress(stderr io.Writer, ref string) func(verify.Progress) bool {
	tty := false
	if f, ok := stderr.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			tty = true
		}
	}
	var fileSize int64
	if st, err := os.Stat(ref); err == nil && !st.IsDir() {
		fileSize = st.Size()
	}
	return func(p verify.Progress) bool {
		return tty || p.ImageSize > progressThreshold || p.ImageSize == 0 && fileSize > progressThreshold
	}
}

// size formats a byte count: "512 B", "3.2 MB".
func size(n int64) string {
	const unit = 1000
	if n < unit {
		return strconv.FormatInt(n, 10) + " B"
	}
	f := float64(n)
	for _, u := range []string{"kB", "MB", "GB", "TB"} {
		f /= unit
		if f < unit {
			return strconv.FormatFloat(f, 'f', 1, 64) + " " + u
		}
	}
	return strconv.FormatFloat(f, 'f', 1, 64) + " PB"
}
