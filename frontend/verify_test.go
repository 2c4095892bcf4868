package frontend

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/solver/pb"

	"github.com/tightlip/tightlip/analysis"
)

// reload marshals a state and reads it back, as a result's ToState does.
func reload(t *testing.T, st llb.State) llb.State {
	t.Helper()
	def, err := st.Marshal(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	op, err := llb.NewDefinitionOp(def.ToPB())
	if err != nil {
		t.Fatal(err)
	}
	return llb.NewState(op)
}

func TestLayerChain(t *testing.T) {
	base := llb.Image("docker.io/library/busybox:latest")
	copied := base.File(llb.Copy(llb.Local("context"), "tool.sh", "/usr/local/bin/tool"), llb.WithCustomName("COPY"))
	run1 := copied.Run(llb.Shlex("tool"), llb.AddSecret("/run/secrets/tok", llb.SecretID("tok")), llb.WithCustomName("RUN tool")).Root()
	run2 := run1.Run(llb.Shlex("echo done"), llb.WithCustomName("RUN echo")).Root()
	final := run2.File(llb.Mkdir("/a", 0o755).Mkfile("/a/b", 0o644, []byte("x")), llb.WithCustomName("multi-action"))

	steps, err := layerChain(context.Background(), reload(t, final))
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) != 4 {
		t.Fatalf("%d layers, want 4", len(steps))
	}
	for i, st := range steps {
		if st.lower.Output() == nil {
			t.Errorf("layer %d is diffed against scratch: the chain did not reach the base image", i)
		}
	}
}

// head is the digest and output index a state's LLB ends in.
func head(t *testing.T, st llb.State) string {
	t.Helper()
	if st.Output() == nil {
		return "scratch"
	}
	in, err := st.Output().ToInput(context.Background(), &llb.Constraints{})
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%s:%d", in.Digest, in.Index)
}

// Consecutive layers share their states: each layer's lower is the previous layer's upper, and the
// first one's is the base image. Copy-on-merge (COPY --link) and a local source as a stage's base count
// as layers too.
func TestLayerChainStates(t *testing.T) {
	base := llb.Image("docker.io/library/busybox:latest")
	linked := llb.Merge([]llb.State{base, llb.Scratch().File(llb.Copy(llb.Local("context"), "a", "/a"))})
	run := linked.Run(llb.Shlex("true"), llb.AddMount("/cache", llb.Scratch(), llb.AsPersistentCacheDir("c", llb.CacheMountShared))).Root()
	steps, err := layerChain(context.Background(), reload(t, run))
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) != 2 {
		t.Fatalf("%d layers, want 2 (the merge and the run)", len(steps))
	}
	if got, want := head(t, steps[0].lower), head(t, reload(t, base)); got != want {
		t.Errorf("the first layer is diffed against %s, want the base image %s", got, want)
	}
	if head(t, steps[1].lower) != head(t, steps[0].upper) {
		t.Errorf("layer 1 is not diffed against layer 0's result")
	}

	local := llb.Local("context").File(llb.Mkdir("/x", 0o755))
	steps, err = layerChain(context.Background(), reload(t, local))
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) != 2 || steps[0].lower.Output() != nil {
		t.Fatalf("a local source as the base must be a layer diffed against scratch: %d layers", len(steps))
	}
}

func TestFileInput(t *testing.T) {
	// With 2 inputs, an action input of 2 or more is the output of action (input - 2).
	fo := &pb.FileOp{Actions: []*pb.FileAction{
		{Input: 1, Output: -1}, // 0: on input 1
		{Input: 2, Output: 0},  // 1: on action 0, so on input 1
		{Input: -1, Output: 1}, // 2: on scratch
	}}
	if got := fileInput(fo, 0, 2); got != 1 {
		t.Errorf("output 0 is made on input %d, want 1", got)
	}
	if got := fileInput(fo, 1, 2); got != -1 {
		t.Errorf("output 1 is made on input %d, want scratch", got)
	}
	if got := fileInput(&pb.FileOp{Actions: []*pb.FileAction{{Input: 2, Output: 0}}}, 0, 2); got != -1 {
		t.Errorf("a self-reference must end in scratch, got %d", got)
	}
}

func TestSecretIDs(t *testing.T) {
	df := "FROM busybox AS a\nARG NPM_TOKEN\nRUN --mount=type=secret,id=gh,env=GH npm ci\n" +
		"FROM busybox\nRUN --mount=type=secret,target=/root/.aws/credentials aws s3 ls\n" +
		"RUN --mount=type=secret,id=gh true\n"
	res, err := analysis.Analyze("Dockerfile", []byte(df), analysis.Options{Rewrite: true})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := secretIDs(res), []string{"NPM_TOKEN", "credentials", "gh"}; !slices.Equal(got, want) {
		t.Errorf("secretIDs = %q, want %q", got, want)
	}
	if ids := secretIDs(&analysis.Result{}); len(ids) != 0 {
		t.Errorf("no secrets: %q", ids)
	}
}

func TestVerificationValidate(t *testing.T) {
	for _, v := range []Verification{{}, {Mode: VerifyWarn}, {Mode: VerifyOff, Budget: time.Second}} {
		if err := v.Validate(); err != nil {
			t.Errorf("%+v: %v", v, err)
		}
	}
	for _, v := range []Verification{{Mode: "false"}, {Budget: -1}, {MinLength: -1}} {
		if err := v.Validate(); err == nil {
			t.Errorf("%+v must be refused", v)
		}
	}
}
