package report

import (
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"strings"
)

// SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/), the subset GitHub code scanning
// reads: one run, the rules in tool.driver.rules, one result per finding with a physical location.

const (
	sarifVersion = "2.1.0"
	sarifSchema  = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	// SourceRoot is the uriBaseId of Dockerfile paths: relative to the directory tightlip ran in,
	// which in CI is the repository's root (as with CodeQL's %SRCROOT%).
	SourceRoot = "%SRCROOT%"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations"`
	Results     []sarifResult     `json:"results"`
	Properties  map[string]any    `json:"properties,omitempty"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

// sarifNotification carries a build policy note.
type sarifNotification struct {
	Level     string          `json:"level"`
	Message   sarifMessage    `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri,omitempty"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string             `json:"id"`
	Name                 string             `json:"name,omitempty"`
	ShortDescription     sarifMessage       `json:"shortDescription"`
	FullDescription      sarifMessage       `json:"fullDescription"`
	Help                 *sarifMultiMessage `json:"help,omitempty"`
	HelpURI              string             `json:"helpUri,omitempty"`
	DefaultConfiguration sarifConfiguration `json:"defaultConfiguration"`
	Properties           sarifRuleProps     `json:"properties"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifMultiMessage struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifConfiguration struct {
	Level string `json:"level"`
}

type sarifRuleProps struct {
	Tags []string `json:"tags,omitempty"`
	// SecuritySeverity is GitHub's property for ranking security alerts (0.0–10.0).
	SecuritySeverity string `json:"security-severity,omitempty"`
}

type sarifResult struct {
	RuleID       string             `json:"ruleId"`
	RuleIndex    int                `json:"ruleIndex"`
	Level        string             `json:"level"`
	Message      sarifMessage       `json:"message"`
	Locations    []sarifLocation    `json:"locations"`
	Suppressions []sarifSuppression `json:"suppressions,omitempty"`
	Properties   map[string]any     `json:"properties,omitempty"`
}

// sarifSuppression is SARIF's record of a result that a reviewed exception lets through.
type sarifSuppression struct {
	Kind          string         `json:"kind"`
	Status        string         `json:"status"`
	Justification string         `json:"justification"`
	Properties    map[string]any `json:"properties,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           sarifRegion           `json:"region"`
}

type sarifArtifactLocation struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

// Level returns the SARIF level of a tightlip severity.
func Level(severity string) string {
	switch severity {
	case "error":
		return "error"
	case "warning":
		return "warning"
	}
	return "note"
}

func securitySeverity(severity string) string {
	switch severity {
	case "error":
		return "8.0" // high
	case "warning":
		return "5.0" // medium
	}
	return "2.0" // low
}

// WriteSARIF writes the report as a SARIF 2.1.0 log with one run. uriBaseID, when not empty, is set on
// every artifact location whose path is relative (SourceRoot for Dockerfiles).
func WriteSARIF(w io.Writer, r *Report, uriBaseID string) error {
	driver := sarifDriver{Name: r.Tool.Name, Version: r.Tool.Version, InformationURI: r.Tool.InformationURI, Rules: []sarifRule{}}
	index := map[string]int{}
	for _, rule := range r.Rules {
		index[rule.ID] = len(driver.Rules)
		sr := sarifRule{
			ID:                   rule.ID,
			Name:                 rule.Name,
			ShortDescription:     sarifMessage{Text: rule.Summary},
			FullDescription:      sarifMessage{Text: firstParagraph(rule.Doc, rule.Summary)},
			HelpURI:              rule.HelpURI,
			DefaultConfiguration: sarifConfiguration{Level: Level(rule.Severity)},
			Properties:           sarifRuleProps{Tags: rule.Tags, SecuritySeverity: securitySeverity(rule.Severity)},
		}
		if rule.Doc != "" {
			sr.Help = &sarifMultiMessage{Text: rule.Doc, Markdown: rule.Doc}
		}
		driver.Rules = append(driver.Rules, sr)
	}
	run := sarifRun{
		Tool:        sarifTool{Driver: driver},
		Invocations: []sarifInvocation{{ExecutionSuccessful: true}},
		Results:     []sarifResult{},
	}
	if r.Image != nil {
		run.Properties = map[string]any{"image": r.Image.Ref}
	}
	for _, f := range r.Files {
		uri, relative := fileURI(f.Path)
		loc := sarifArtifactLocation{URI: uri}
		if relative {
			loc.URIBaseID = uriBaseID
		}
		for _, n := range f.Notes {
			run.Invocations[0].ToolExecutionNotifications = append(run.Invocations[0].ToolExecutionNotifications, sarifNotification{
				Level: "note", Message: sarifMessage{Text: n},
				Locations: []sarifLocation{{PhysicalLocation: sarifPhysicalLocation{ArtifactLocation: loc, Region: sarifRegion{StartLine: 1}}}},
			})
		}
		for _, fd := range f.Findings {
			i, ok := index[fd.RuleID]
			if !ok {
				// A rule the report does not list: list it, so that ruleIndex stays valid.
				i = len(run.Tool.Driver.Rules)
				index[fd.RuleID] = i
				run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{
					ID: fd.RuleID, Name: fd.RuleName, ShortDescription: sarifMessage{Text: fd.RuleName},
					FullDescription: sarifMessage{Text: fd.RuleName}, HelpURI: fd.Doc,
					DefaultConfiguration: sarifConfiguration{Level: Level(fd.Severity)},
				})
			}
			res := sarifResult{
				RuleID:    fd.RuleID,
				RuleIndex: i,
				Level:     Level(fd.Severity),
				Message:   sarifMessage{Text: fd.Message},
				Locations: []sarifLocation{{PhysicalLocation: sarifPhysicalLocation{ArtifactLocation: loc, Region: region(fd.Range)}}},
			}
			props := map[string]any{}
			if fd.Path != "" {
				props["path"] = fd.Path
			}
			if fd.Layer != nil {
				props["layer"] = fd.Layer
			}
			if fd.RemovedIn != nil {
				props["removedIn"] = fd.RemovedIn
			}
			if len(props) > 0 {
				res.Properties = props
			}
			if s := fd.Suppression; s != nil {
				res.Suppressions = []sarifSuppression{{Kind: "external", Status: "accepted", Justification: s.Reason,
					Properties: map[string]any{"expires": s.Expires, "policy": s.Policy}}}
			}
			run.Results = append(run.Results, res)
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}})
}

// region converts a range; a finding without one points at the artifact's first line (GitHub code
// scanning needs a startLine).
func region(r *Range) sarifRegion {
	if r == nil || r.Start.Line < 1 {
		return sarifRegion{StartLine: 1}
	}
	reg := sarifRegion{StartLine: r.Start.Line, StartColumn: r.Start.Column}
	if r.End.Line >= r.Start.Line {
		reg.EndLine = r.End.Line
		if r.Start.Column > 0 && r.End.Column > 0 && (r.End.Line > r.Start.Line || r.End.Column >= r.Start.Column) {
			reg.EndColumn = r.End.Column
		}
	}
	return reg
}

// fileURI turns a slash- or OS-separated path into a URI reference: relative paths stay relative
// (escaped), absolute paths become file URIs.
func fileURI(p string) (uri string, relative bool) {
	p = filepath.ToSlash(p)
	if strings.HasPrefix(p, "/") {
		return (&url.URL{Scheme: "file", Path: p}).String(), false
	}
	return (&url.URL{Path: p}).String(), true
}

// firstParagraph returns the first paragraph of a Markdown text on one line, or def when it is empty.
func firstParagraph(doc, def string) string {
	doc = strings.TrimSpace(doc)
	if doc == "" {
		return def
	}
	if i := strings.Index(doc, "\n\n"); i >= 0 {
		doc = doc[:i]
	}
	return strings.Join(strings.Fields(doc), " ")
}
