package policy

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/tightlip/tightlip/model"
	"github.com/tightlip/tightlip/rules"
)

// Suppressed is a finding an exception lets through.
type Suppressed struct {
	Finding   rules.Finding
	Exception *Exception
}

// Message describes the suppression for build output and reports.
func (s *Suppressed) Message() string {
	e := s.Exception
	return fmt.Sprintf("%s %s (%s) is let through by the exception at %s until %s: %s",
		s.Finding.Rule.ID, s.Finding.Severity, s.Finding.Message, e.Origin, e.ExpiresText, e.Reason)
}

// Note is something about the policy a build or check reports: an expired exception that would have
// applied, a directive the policy does not honour.
type Note struct {
	// Range is the Dockerfile location, when there is one.
	Range parser.Range
	// Message says what happened and why; it names the policy setting.
	Message string
}

// Outcome is what applying a policy to findings gives.
type Outcome struct {
	// Findings are those that count, with the policy's severities.
	Findings []rules.Finding
	// Suppressed are those exceptions let through.
	Suppressed []Suppressed
	// Notes are expired exceptions that matched.
	Notes []Note
}

// RuleEnabled reports whether the policy runs the rule at all.
func (p *Policy) RuleEnabled(id string) bool { return p.Rules[id] != SeverityOff }

// Severity returns the severity a finding of rule id has under the policy: the policy's for the
// rule, or the finding's own.
func (p *Policy) Severity(id string, own rules.Severity) rules.Severity {
	switch p.Rules[id] {
	case SeverityError:
		return rules.Error
	case SeverityWarning:
		if own == rules.Error {
			return rules.Warning
		}
	}
	return own
}

// Apply applies the severities and the exceptions to the findings of the Dockerfile file, named
// filename as the build or the command line names it. Findings of rules the policy turns off are
// dropped (callers should not run those rules at all). now decides which exceptions have expired.
func (p *Policy) Apply(file *model.File, filename string, findings []rules.Finding, now time.Time) Outcome {
	var out Outcome
	noted := map[*Exception]bool{}
	for _, fd := range findings {
		if !p.RuleEnabled(fd.Rule.ID) {
			continue
		}
		fd.Severity = p.Severity(fd.Rule.ID, fd.Severity)
		var applied *Exception
		for i := range p.Exceptions {
			e := &p.Exceptions[i]
			if !e.matches(file, filename, fd) {
				continue
			}
			if e.Expired(now) {
				if !noted[e] {
					noted[e] = true
					out.Notes = append(out.Notes, Note{Range: fd.Range, Message: fmt.Sprintf(
						"the exception for %s at %s expired on %s and no longer applies (reason was: %s)",
						e.Rule, e.Origin, e.ExpiresText, e.Reason)})
				}
				continue
			}
			applied = e
			break
		}
		if applied != nil {
			out.Suppressed = append(out.Suppressed, Suppressed{Finding: fd, Exception: applied})
			continue
		}
		out.Findings = append(out.Findings, fd)
	}
	return out
}

// matches reports whether the exception selects the finding.
func (e *Exception) matches(file *model.File, filename string, fd rules.Finding) bool {
	if e.Rule != fd.Rule.ID {
		return false
	}
	if e.File != nil && !e.File.MatchString(filename) {
		return false
	}
	if e.Line != 0 && (fd.Range.Start.Line > e.Line || fd.Range.End.Line < e.Line) {
		return false
	}
	if e.Subject != nil && !e.Subject.MatchString(fd.Subject) {
		return false
	}
	if e.Stage == "" && e.Instruction == nil {
		return true
	}
	in := instructionAt(file, fd.Range.Start.Line)
	if in == nil {
		return false
	}
	if e.Stage != "" && (in.Stage == nil || !strings.EqualFold(in.Stage.Name, e.Stage) && strconv.Itoa(in.Stage.Index) != e.Stage) {
		return false
	}
	return e.Instruction == nil || e.Instruction.MatchString(in.Text.String())
}

// instructionAt returns the instruction that spans line, or nil.
func instructionAt(file *model.File, line int) *model.Instruction {
	if file == nil {
		return nil
	}
	for _, in := range file.Instructions {
		if in.Range.Start.Line <= line && line <= in.Range.End.Line {
			return in
		}
	}
	return nil
}
