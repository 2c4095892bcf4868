package frontend

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/builder"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerui"
	"github.com/moby/buildkit/frontend/gateway/client"
	"github.com/moby/buildkit/frontend/subrequests/lint"
	"github.com/moby/buildkit/solver/errdefs"
	"github.com/moby/buildkit/solver/pb"

	"github.com/tightlip/tightlip/analysis"
	"github.com/tightlip/tightlip/policy"
	"github.com/tightlip/tightlip/rules"
)

// findingsError is the build error for error-level findings: every finding with its rule, location and
// documentation, and the source ranges so that clients print the Dockerfile snippet. The policy's notes
// and the findings its exceptions let through follow, as a build that passes reports them as warnings.
func findingsError(src *dockerui.Source, shown []byte, errs []rules.Finding, notes []policy.Note, suppressed []policy.Suppressed) error {
	var b strings.Builder
	if len(errs) > 1 {
		fmt.Fprintf(&b, "tightlip found %d credential leaks:\n", len(errs))
	}
	ranges := make([]parser.Range, 0, len(errs))
	for i, fd := range errs {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%s:%d: %s", src.SourceMap.Filename, fd.Range.Start.Line, describe(fd))
		ranges = append(ranges, fd.Range)
	}
	for _, n := range notes {
		b.WriteString("\ntightlip policy: " + n.Message)
	}
	for _, sup := range suppressed {
		fmt.Fprintf(&b, "\ntightlip policy: %s:%d: %s", src.SourceMap.Filename, sup.Finding.Range.Start.Line, sup.Message())
	}
	return withSource(errors.New(b.String()), src, shown, ranges)
}

// describe is a finding as one line: rule, message and where to read more.
func describe(fd rules.Finding) string {
	return fmt.Sprintf("%s %s: %s (%s)", fd.Rule.ID, fd.Rule.Name, fd.Message, analysis.DocURL(fd.Rule))
}

// warn shows a finding as a build warning attached to its Dockerfile lines.
func warn(ctx context.Context, src *dockerui.Source, shown []byte, fd rules.Finding) {
	msg := linter.LintFormatShort(fd.Rule.ID+" "+fd.Rule.Name, fd.Message, fd.Range.Start.Line)
	src.Warn(ctx, msg, client.WarnOpts{
		Level:      1,
		URL:        analysis.DocURL(fd.Rule),
		Detail:     [][]byte{[]byte(fd.Rule.Summary)},
		Range:      pbRanges([]parser.Range{fd.Range}),
		SourceInfo: sourceInfo(src, shown),
	})
}

// lintWithFindings answers the lint subrequest: upstream's results with tightlip's findings added, so
// that `buildx build --check` and `--call=check` show both (addFindings).
func lintWithFindings(ctx context.Context, c client.Client, src *dockerui.Source, shown []byte, findings []rules.Finding, notes []policy.Note) (*client.Result, error) {
	up, err := builder.Build(ctx, c)
	if err != nil {
		return nil, err
	}
	var results lint.LintResults
	if err := json.Unmarshal(up.Metadata["result.json"], &results); err != nil {
		return nil, fmt.Errorf("reading upstream lint results: %w", err)
	}
	addFindings(&results, src, shown, findings, notes)
	return results.ToResult(nil)
}

// lintPolicyRule names the policy's notes among the lint results.
const lintPolicyRule = "TightlipPolicy"

// addFindings adds tightlip's findings to lint results, error-level ones marked as such, with the
// Dockerfile text as shown (credential values masked) in place of upstream's copy. The policy's notes
// follow when there are findings, to say why a finding is there (a `# check=skip` the policy refused, an
// exception that expired); alone they would fail `--check` on a Dockerfile that builds. Findings that
// exceptions let through are not added, for the same reason.
func addFindings(results *lint.LintResults, src *dockerui.Source, shown []byte, findings []rules.Finding, notes []policy.Note) {
	for _, si := range results.Sources {
		if si.Filename == src.SourceMap.Filename && bytes.Equal(si.Data, src.SourceMap.Data) {
			si.Data = shown
		}
	}
	sm := *src.SourceMap
	sm.Data = shown
	idx := results.AddSource(&sm)
	for _, fd := range findings {
		detail := fd.Message
		if fd.Severity == rules.Error {
			detail = "error: " + detail
		}
		results.AddWarning(fd.Rule.ID, fd.Rule.Summary, analysis.DocURL(fd.Rule), detail, idx, []parser.Range{fd.Range})
	}
	if len(findings) == 0 {
		return
	}
	for _, n := range notes {
		var loc []parser.Range
		if n.Range.Start.Line > 0 {
			loc = []parser.Range{n.Range}
		}
		results.AddWarning(lintPolicyRule, "tightlip build policy", policyDocURL, n.Message, idx, loc)
	}
}

// withSource attaches Dockerfile ranges to err, as upstream does for its own errors, showing the
// Dockerfile text shown (the source with credential values masked).
func withSource(err error, src *dockerui.Source, shown []byte, ranges []parser.Range) error {
	return errdefs.WithSource(err, &errdefs.Source{Info: sourceInfo(src, shown), Ranges: pbRanges(ranges)})
}

func sourceInfo(src *dockerui.Source, shown []byte) *pb.SourceInfo {
	sm := src.SourceMap
	return &pb.SourceInfo{
		Data:       shown,
		Filename:   sm.Filename,
		Language:   sm.Language,
		Definition: sm.Definition.ToPB(),
	}
}

func pbRanges(ranges []parser.Range) []*pb.Range {
	out := make([]*pb.Range, 0, len(ranges))
	for _, r := range ranges {
		out = append(out, &pb.Range{
			Start: &pb.Position{Line: int32(r.Start.Line), Character: int32(r.Start.Character)},
			End:   &pb.Position{Line: int32(r.End.Line), Character: int32(r.End.Character)},
		})
	}
	return out
}

// refuseSecretBuildArgs fails a build that passes a value, as a build argument, for an ARG the rewrite
// turned into a secret mount: the value is already in the build request (and so in the builder's
// history and max-mode provenance), and it would not reach the RUN steps. The value is never shown;
// shown returns the masked text of the snippets, called only when there is an error to show.
func refuseSecretBuildArgs(src *dockerui.Source, shown func() []byte, res *analysis.Result, opts map[string]string) error {
	var lines []string
	var ranges []parser.Range
	for _, name := range res.Secrets {
		if _, ok := opts["build-arg:"+name]; !ok {
			continue
		}
		lines = append(lines, fmt.Sprintf("--build-arg %s: tightlip passes %s to the RUN steps as a secret, not a build argument; "+
			"build with `docker buildx build --secret id=%s,env=%s` (buildctl: `--secret id=%s,env=%s`) and rotate the credential: "+
			"the value passed as a build argument is recorded in this build's request",
			name, name, name, name, name, name))
		for _, fd := range res.Findings {
			if fd.Rule == rules.TL103 && fd.Subject == name {
				ranges = append(ranges, fd.Range)
			}
		}
	}
	if len(lines) == 0 {
		return nil
	}
	return withSource(errors.New(strings.Join(lines, "\n")), src, shown(), ranges)
}
