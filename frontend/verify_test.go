package frontend

import (
	"context"
	"testing"

	"github.com/moby/buildkit/client/llb"
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
