package frontend

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/client/llb/sourceresolver"
	"github.com/moby/buildkit/exporter/containerimage/exptypes"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerui"
	"github.com/moby/buildkit/frontend/gateway/client"
	"github.com/moby/buildkit/solver/pb"
	dockerspec "github.com/moby/docker-image-spec/specs-go/v1"
	digest "github.com/opencontainers/go-digest"

	"github.com/tightlip/tightlip/analysis"
	"github.com/tightlip/tightlip/internal/inbuild"
)

// Verification modes.
const (
	VerifyOn   = "on"   // a secret's value in the image fails the build (the default)
	VerifyWarn = "warn" // it is a build warning
	VerifyOff  = "off"  // the image is not verified
)

// Verification defaults.
const (
	DefaultVerifyBudget    = 5 * time.Minute
	DefaultVerifyMinLength = 8
)

// Verification configures the search of a built image for the values of the secrets its build used.
// The zero value verifies with the defaults. Only the frontend's options set it: no build argument or
// frontend option of a build can turn it off.
type Verification struct {
	// Mode is VerifyOn, VerifyWarn or VerifyOff; "" means VerifyOn.
	Mode string
	// Budget bounds the search; a search that runs out of time fails the build (VerifyOn). 0 means
	// DefaultVerifyBudget.
	Budget time.Duration
	// MinLength is the shortest secret value searched for; shorter values would match by chance and
	// are reported as not searched. 0 means DefaultVerifyMinLength.
	MinLength int
	// Image is the tightlip image whose binary runs the search, for a frontend that runs without one
	// (in-process builds). Empty: the image the frontend itself runs from, as BuildKit reports it.
	Image string
}

func (v Verification) mode() string {
	if v.Mode == "" {
		return VerifyOn
	}
	return v.Mode
}

// Validate reports a bad mode or negative limits.
func (v Verification) Validate() error {
	switch v.mode() {
	case VerifyOn, VerifyWarn, VerifyOff:
	default:
		return fmt.Errorf("verification mode %q: want %q, %q or %q", v.Mode, VerifyOn, VerifyWarn, VerifyOff)
	}
	if v.Budget < 0 || v.MinLength < 0 {
		return fmt.Errorf("verification budget and minimum length must not be negative")
	}
	return nil
}

func (v Verification) budget() time.Duration {
	if v.Budget == 0 {
		return DefaultVerifyBudget
	}
	return v.Budget
}

func (v Verification) minLength() int {
	if v.MinLength == 0 {
		return DefaultVerifyMinLength
	}
	return v.MinLength
}

// Paths inside the scanner's container.
const (
	scanBinary  = "/bin/tightlip-frontend"
	scanIn      = "/tightlip/in"
	scanOut     = "/tightlip/out"
	scanReport  = "report.json"
	scanRequest = "request.json"
)

// selfReferencer is implemented by BuildKit's gateway client of a frontend that runs from an image:
// CurrentFrontend returns the LLB of that image, pinned by digest.
type selfReferencer interface {
	CurrentFrontend() (*llb.State, error)
}

// exported is one platform's image of the build result.
type exported struct {
	platform string
	ref      client.Reference
	config   []byte
	layers   []layerStep
}

// layerStep is one layer the build made: the filesystem before (lower) and after (upper) one
// instruction, and where in the Dockerfile that instruction is.
type layerStep struct {
	lower, upper llb.State
	locs         []*llb.SourceLocation
}

// verify searches the build's result for the values of the secrets the build uses, in a container of
// tightlip's own image without network access, and fails the build (or warns) when one is there.
func (f *Frontend) verify(ctx context.Context, c client.Client, self selfReferencer, src *dockerui.Source, shown []byte, ares *analysis.Result, res *client.Result) error {
	v := f.opts.Verification
	if v.mode() == VerifyOff {
		return nil
	}
	ids := secretIDs(ares)
	if len(ids) == 0 {
		return nil // nothing this build mounts can be in the image
	}
	err := f.runVerification(ctx, c, self, src, shown, ids, res)
	if err == nil {
		return nil
	}
	if v.mode() == VerifyWarn {
		var ve *verifyError
		if errors.As(err, &ve) {
			for _, fd := range ve.found {
				src.Warn(ctx, "tightlip verification: "+fd.message, client.WarnOpts{
					Level:      1,
					Detail:     [][]byte{[]byte(fixHint)},
					Range:      pbRanges(fd.ranges),
					SourceInfo: sourceInfo(src, shown),
				})
			}
			return nil
		}
		src.Warn(ctx, "tightlip verification: "+err.Error(), client.WarnOpts{Level: 1})
		return nil
	}
	return err
}

const fixHint = "a step wrote the secret (or an encoding of it) into the image; keep it in the secret mount " +
	"(or a tmpfs), remove whatever a tool derives from it in the same RUN step that made it (a later step's " +
	"delete still ships it), or do this work in a stage that is not exported"

func (f *Frontend) runVerification(ctx context.Context, c client.Client, self selfReferencer, src *dockerui.Source, shown []byte, ids []string, res *client.Result) error {
	images, err := exportedImages(res)
	if err != nil {
		return err
	}
	for i := range images {
		if images[i].ref == nil {
			continue
		}
		st, err := images[i].ref.ToState()
		if err != nil {
			return fmt.Errorf("tightlip verification: reading the built image: %w", err)
		}
		if images[i].layers, err = layerChain(ctx, st); err != nil {
			return fmt.Errorf("tightlip verification: %w", err)
		}
	}
	root, err := f.scannerRoot(ctx, c, self)
	if err != nil {
		return err
	}
	v := f.opts.Verification
	req := inbuild.Request{Protocol: inbuild.Protocol, MinLength: v.minLength(), Budget: v.budget(), Report: path.Join(scanOut, scanReport)}
	var runOpts []llb.RunOption
	for i, id := range ids {
		target := fmt.Sprintf("/tightlip/secrets/%d", i)
		req.Secrets = append(req.Secrets, inbuild.SecretFile{ID: id, Path: target})
		runOpts = append(runOpts, llb.AddSecret(target, llb.SecretID(id), llb.SecretOptional))
	}
	in := llb.Scratch()
	layers := 0
	for i, im := range images {
		img := inbuild.Image{Platform: im.platform}
		if len(im.config) > 0 {
			name := fmt.Sprintf("config-%d.json", i)
			in = in.File(llb.Mkfile(name, 0o444, im.config), llb.WithCustomName("[tightlip] image config"))
			img.Config = path.Join(scanIn, name)
		}
		for j, l := range im.layers {
			target := fmt.Sprintf("/tightlip/layers/%d/%d", i, j)
			img.Layers = append(img.Layers, target)
			runOpts = append(runOpts, llb.AddMount(target, llb.Diff(l.lower, l.upper), llb.Readonly))
		}
		layers += len(im.layers)
		req.Images = append(req.Images, img)
	}
	reqJSON, err := json.Marshal(req)
	if err != nil {
		return err
	}
	in = in.File(llb.Mkfile(scanRequest, 0o444, reqJSON), llb.WithCustomName("[tightlip] verification request"))
	runOpts = append(runOpts,
		llb.Args([]string{scanBinary, "scan", path.Join(scanIn, scanRequest)}),
		llb.AddMount(scanIn, in, llb.Readonly),
		llb.Network(pb.NetMode_NONE),
		llb.ReadonlyRootFS(),
		// Secret values are not part of the cache key: a cached search would be one for other values.
		llb.IgnoreCache,
		llb.WithCustomName(fmt.Sprintf("[tightlip] searching %s%s for the values of %s",
			plural(layers, "layer"), platformsNote(images), plural(len(ids), "secret"))),
	)
	run := root.Run(runOpts...)
	out := run.AddMount(scanOut, llb.Scratch())
	def, err := out.Marshal(ctx)
	if err != nil {
		return fmt.Errorf("tightlip verification: %w", err)
	}
	r, err := c.Solve(ctx, client.SolveRequest{Definition: def.ToPB(), Evaluate: true})
	if err != nil {
		return fmt.Errorf("tightlip verification could not run: %w", err)
	}
	ref, err := r.SingleRef()
	if err != nil {
		return err
	}
	data, err := ref.ReadFile(ctx, client.ReadRequest{Filename: scanReport})
	if err != nil {
		return fmt.Errorf("tightlip verification: reading the report: %w", err)
	}
	var rep inbuild.Report
	if err := json.Unmarshal(data, &rep); err != nil || rep.Protocol != inbuild.Protocol {
		return fmt.Errorf("tightlip verification: the scanner's report is not protocol %d (is the frontend image another version?)", inbuild.Protocol)
	}

	for _, s := range rep.Secrets {
		if s.Status == inbuild.TooShort {
			src.Warn(ctx, fmt.Sprintf("tightlip verification: secret %s is %d bytes long, shorter than the minimum of %d: its value was not searched for", s.ID, s.Length, v.minLength()), client.WarnOpts{Level: 1})
		}
	}
	if len(rep.Hits) > 0 {
		return newVerifyError(src, shown, images, rep.Hits)
	}
	if rep.Incomplete != "" {
		return fmt.Errorf("tightlip verification did not finish: %s; the image was not verified (raise the verification budget in the policy)", rep.Incomplete)
	}
	return progressLine(ctx, c, summary(&rep, len(images)))
}

// platformsNote is " of N platforms" for a multi-platform build.
func platformsNote(images []exported) string {
	if len(images) < 2 {
		return ""
	}
	return fmt.Sprintf(" of %d platforms", len(images))
}

// summary is the progress line of a verification that found nothing.
func summary(rep *inbuild.Report, images int) string {
	configs := "the image config"
	if images > 1 {
		configs = fmt.Sprintf("%d image configs", images)
	}
	var s string
	if rep.Searched() == 0 {
		s = "[tightlip] not verified: no secret value to search for"
	} else {
		s = fmt.Sprintf("[tightlip] verified: no value of %s in %s and %s (%d files, %s)",
			plural(rep.Searched(), "secret"), plural(rep.Layers, "layer"), configs, rep.Files, inbuild.Size(rep.Bytes))
	}
	var missing []string
	for _, st := range rep.Secrets {
		switch st.Status {
		case inbuild.NotSupplied:
			missing = append(missing, st.ID+" (not supplied)")
		case inbuild.TooShort:
			missing = append(missing, st.ID+" (too short)")
		}
	}
	if len(missing) > 0 {
		s += "; not searched: " + strings.Join(missing, ", ")
	}
	return s
}

// progressLine shows line in the build's progress as the name of an empty step.
func progressLine(ctx context.Context, c client.Client, line string) error {
	st := llb.Scratch().File(llb.Mkdir("/tightlip", 0o755), llb.WithCustomName(line))
	def, err := st.Marshal(ctx)
	if err != nil {
		return err
	}
	_, err = c.Solve(ctx, client.SolveRequest{Definition: def.ToPB(), Evaluate: true})
	return err
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// scannerRoot returns the root filesystem of the scanner: the configured image, checked to be a
// tightlip image of this version, or else the image this frontend runs from.
func (f *Frontend) scannerRoot(ctx context.Context, c client.Client, self selfReferencer) (llb.State, error) {
	if img := f.opts.Verification.Image; img != "" {
		return f.resolveScanner(ctx, c, img)
	}
	if self != nil {
		st, err := self.CurrentFrontend()
		if err != nil {
			return llb.State{}, fmt.Errorf("tightlip verification: reading the frontend's own image: %w", err)
		}
		if st != nil {
			return *st, nil
		}
	}
	return llb.State{}, errors.New("tightlip verification: the frontend does not know its own image (BuildKit passed no frontend definition), " +
		"so it cannot search the built image for secret values; run tightlip from an image (`# syntax=` or `gateway.v0 source=`) on BuildKit v0.11 or later")
}

// resolveScanner pins img by digest and checks that it is a tightlip image of this frontend's version.
func (f *Frontend) resolveScanner(ctx context.Context, c client.Client, img string) (llb.State, error) {
	ref, dgst, cfg, err := c.ResolveImageConfig(ctx, img, sourceresolver.Opt{})
	if err != nil {
		return llb.State{}, fmt.Errorf("tightlip verification: resolving the scanner image %s: %w", img, err)
	}
	var conf dockerspec.DockerOCIImage
	if err := json.Unmarshal(cfg, &conf); err != nil {
		return llb.State{}, fmt.Errorf("tightlip verification: reading the config of %s: %w", img, err)
	}
	labels := conf.Config.Labels
	if labels["org.opencontainers.image.title"] != "tightlip" {
		return llb.State{}, fmt.Errorf("tightlip verification: %s is not a tightlip image", img)
	}
	if got := labels["org.opencontainers.image.version"]; f.opts.Version != "" && got != f.opts.Version {
		return llb.State{}, fmt.Errorf("tightlip verification: %s is tightlip %s, this frontend is %s", img, got, f.opts.Version)
	}
	if dgst != "" {
		ref = pinRef(ref, dgst)
	}
	return llb.Image(ref), nil
}

// pinRef returns ref with its digest set to dgst.
func pinRef(ref string, dgst digest.Digest) string {
	if i := strings.Index(ref, "@"); i >= 0 {
		ref = ref[:i]
	}
	return ref + "@" + dgst.String()
}

// secretIDs returns the ids of the secrets the build mounts: those of the Dockerfile's secret mounts
// (as the converter names them) and those of the credential build arguments tightlip rewrote.
func secretIDs(res *analysis.Result) []string {
	if res == nil {
		return nil
	}
	ids := slices.Clone(res.Secrets)
	if res.File != nil {
		for _, st := range res.File.Stages {
			for _, r := range st.Runs {
				for _, m := range r.MountsOf(instructions.MountTypeSecret) {
					if id := secretID(m); id != "" {
						ids = append(ids, id)
					}
				}
			}
		}
	}
	sort.Strings(ids)
	return slices.Compact(ids)
}

// secretID is the id BuildKit's converter gives a secret mount.
func secretID(m *instructions.Mount) string {
	switch {
	case m.Source != "":
		return m.Source
	case m.CacheID != "":
		return m.CacheID
	case m.Target != "":
		return path.Base(m.Target)
	}
	return ""
}

// exportedImages returns the images of a build result: one per platform, each with its config.
func exportedImages(res *client.Result) ([]exported, error) {
	if len(res.Refs) == 0 {
		p := ""
		if dt, ok := res.Metadata[exptypes.ExporterPlatformsKey]; ok {
			var ps exptypes.Platforms
			if err := json.Unmarshal(dt, &ps); err == nil && len(ps.Platforms) == 1 {
				p = ps.Platforms[0].ID
			}
		}
		return []exported{{platform: p, ref: res.Ref, config: res.Metadata[exptypes.ExporterImageConfigKey]}}, nil
	}
	ids := make([]string, 0, len(res.Refs))
	for id := range res.Refs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	out := make([]exported, 0, len(ids))
	for _, id := range ids {
		out = append(out, exported{platform: id, ref: res.Refs[id], config: res.Metadata[exptypes.ExporterImageConfigKey+"/"+id]})
	}
	return out, nil
}

// layerChain returns the layers an image's state is made of, oldest first: following the filesystem
// each instruction ran on (an exec's root mount, a file operation's input, a merge's first input) back
// to the base image, which is not included. Each layer is the difference between two consecutive
// states, so a file that a later layer deletes is in the layer that made it. A source that is not an
// image (a local context or Git repository used as a stage's base) is a layer of its own.
func layerChain(ctx context.Context, st llb.State) ([]layerStep, error) {
	c := &llb.Constraints{}
	var steps []layerStep
	for out := st.Output(); out != nil; {
		vtx := out.Vertex(ctx, c)
		inp, err := out.ToInput(ctx, c)
		if err != nil {
			return nil, err
		}
		_, dt, _, locs, err := vtx.Marshal(ctx, c)
		if err != nil {
			return nil, err
		}
		var op pb.Op
		if err := op.UnmarshalVT(dt); err != nil {
			return nil, fmt.Errorf("reading the build's LLB: %w", err)
		}
		inputs := vtx.Inputs()
		lower := -1
		switch o := op.Op.(type) {
		case *pb.Op_Source:
			if isImageSource(o.Source.Identifier) {
				slices.Reverse(steps)
				return steps, nil
			}
		case *pb.Op_Exec:
			// Only bind mounts have outputs; the other kinds leave Output at its zero value.
			for _, m := range o.Exec.Mounts {
				if m.MountType == pb.MountType_BIND && int64(m.Output) == inp.Index {
					lower = int(m.Input)
					break
				}
			}
		case *pb.Op_File:
			lower = fileInput(o.File, inp.Index, len(inputs))
		case *pb.Op_Merge:
			if len(o.Merge.Inputs) > 0 {
				lower = int(o.Merge.Inputs[0].Input)
			}
		}
		step := layerStep{lower: llb.Scratch(), upper: llb.NewState(out), locs: locs}
		var next llb.Output
		if lower >= 0 && lower < len(inputs) {
			next = inputs[lower]
			step.lower = llb.NewState(next)
		}
		steps = append(steps, step)
		out = next
	}
	slices.Reverse(steps)
	return steps, nil
}

func isImageSource(id string) bool {
	return strings.HasPrefix(id, "docker-image://") || strings.HasPrefix(id, "oci-layout://")
}

// fileInput returns the index of the op input that a file operation's output is made on, or -1 for
// scratch. An action's input at or after the op's inputs is the output of an earlier action.
func fileInput(f *pb.FileOp, output int64, inputs int) int {
	for _, a := range f.Actions {
		if a.Output != output {
			continue
		}
		idx := a.Input
		for seen := 0; idx >= int64(inputs) && seen <= len(f.Actions); seen++ {
			rel := idx - int64(inputs)
			if rel >= int64(len(f.Actions)) {
				return -1
			}
			idx = f.Actions[rel].Input
		}
		if idx >= int64(inputs) {
			return -1
		}
		return int(idx)
	}
	return -1
}

// verifyError is a verification that found secret values in the image.
type verifyError struct {
	found []foundValue
	text  string
}

type foundValue struct {
	message string
	ranges  []parser.Range
}

func (e *verifyError) Error() string { return e.text }

func newVerifyError(src *dockerui.Source, shown []byte, images []exported, hits []inbuild.Hit) error {
	e := &verifyError{}
	var b strings.Builder
	fmt.Fprintf(&b, "tightlip verification found the value of a secret in the image (%s):", plural(len(hits), "place"))
	var all []parser.Range
	for _, h := range hits {
		fd := describeHit(src, images, h)
		e.found = append(e.found, fd)
		all = append(all, fd.ranges...)
		b.WriteString("\n" + fd.message)
	}
	b.WriteString("\nfix: " + fixHint)
	e.text = b.String()
	return withSource(e, src, shown, all)
}

// describeHit says where a value is: the Dockerfile line of the instruction that made the layer, the
// path and the encoding. It never includes the value.
func describeHit(src *dockerui.Source, images []exported, h inbuild.Hit) foundValue {
	var where string
	var ranges []parser.Range
	platform := ""
	if h.Image >= 0 && h.Image < len(images) && images[h.Image].platform != "" && len(images) > 1 {
		platform = ", " + images[h.Image].platform
	}
	switch {
	case h.Layer < 0:
		where = fmt.Sprintf("%s: secret %s (%s) in the image config at %s%s", src.SourceMap.Filename, h.Secret, h.Encoding, h.Path, strings.Replace(platform, ",", " of", 1))
	default:
		var step *layerStep
		if h.Image >= 0 && h.Image < len(images) && h.Layer < len(images[h.Image].layers) {
			step = &images[h.Image].layers[h.Layer]
		}
		ranges = stepRanges(src, step)
		loc := src.SourceMap.Filename
		if len(ranges) > 0 {
			loc = fmt.Sprintf("%s:%d", loc, ranges[0].Start.Line)
		}
		where = fmt.Sprintf("%s: secret %s (%s) in %s, in the layer made by this instruction (layer %d of this build%s)",
			loc, h.Secret, h.Encoding, h.Path, h.Layer+1, platform)
	}
	return foundValue{message: where, ranges: ranges}
}

// stepRanges returns the Dockerfile ranges of the instruction that made a layer.
func stepRanges(src *dockerui.Source, step *layerStep) []parser.Range {
	if step == nil {
		return nil
	}
	var out []parser.Range
	for _, l := range step.locs {
		if l.SourceMap == nil || l.SourceMap.Filename != src.SourceMap.Filename {
			continue
		}
		for _, r := range l.Ranges {
			out = append(out, parser.Range{
				Start: parser.Position{Line: int(r.Start.Line), Character: int(r.Start.Character)},
				End:   parser.Position{Line: int(r.End.Line), Character: int(r.End.Character)},
			})
		}
	}
	return out
}
