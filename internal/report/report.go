// Package report is what the tightlip commands print in machine-readable form: one Report model,
// filled by `check` (Dockerfile findings) and by `verify` (image findings), written as JSON (tightlip's
// own documented schema, docs/cli.md) or as SARIF 2.1.0 for code scanning.
//
// The model holds no credential values: messages and snippets arrive masked.
package report

import (
	"encoding/json"
	"io"
)

// SchemaVersion is the version of the JSON schema WriteJSON writes; it changes only when a field is
// removed or changes meaning (fields may be added).
const SchemaVersion = 1

// Tool says which tightlip produced the report.
type Tool struct {
	Name           string // "tightlip"
	Version        string
	InformationURI string
	// Command is the command that produced the report ("check", "verify").
	Command string
}

// Rule describes one rule (or image check) that findings refer to.
type Rule struct {
	ID       string
	Name     string
	Severity string // default severity: "error", "warning", "info"
	Summary  string // one line
	Doc      string // long description, Markdown
	HelpURI  string
	Tags     []string
}

// Report is the outcome of one command.
type Report struct {
	Tool Tool
	// Rules are every rule that findings may name, in a stable order (SARIF's driver.rules).
	Rules []Rule
	// Image describes the image that `verify` read; nil for `check`.
	Image *Image
	// Files are the artifacts that were checked, in input order, with or without findings.
	Files []File
}

// Image is the image `verify` read.
type Image struct {
	Ref    string // as given on the command line
	Images []Part // one per platform
	Layers int    // layers read, over all platforms
	Files  int    // regular files read
	Bytes  int64  // uncompressed layer bytes read
}

// Part is one platform's image of an index.
type Part struct {
	Platform string `json:"platform,omitempty"`
	Digest   string `json:"digest,omitempty"`
	Layers   int    `json:"layers"`
}

// File is one artifact: a Dockerfile, or a part of an image (its config, its history, a file of a
// layer).
type File struct {
	// Path is the artifact's path: a Dockerfile path as given (slash-separated), or for an image
	// "config/<Field>", "history", "layer/<index>/<path>" (see docs/cli.md).
	Path     string
	Findings []Finding
	// Notes are what the build policy did that a user must be told (an expired exception, a directive
	// that does not turn rules off).
	Notes []string
}

// Finding is one finding.
type Finding struct {
	RuleID   string
	RuleName string
	Severity string // "error", "warning", "info"
	Message  string
	// Range is where the finding is; nil when it has no position in the artifact.
	Range *Range
	// Snippet is the (masked) source line or text the finding points into; text output only.
	Snippet string
	// Doc is the URL of the rule's documentation.
	Doc string
	// Fix describes a fix that `tightlip fix` (or the build) applies, if any.
	Fix string
	// Layer is the image layer of a `verify` finding, when there is one.
	Layer *Layer
	// Path is the path of a file inside the image (`verify`).
	Path string
	// RemovedIn is the later layer that deletes or replaces the file, which is still shipped (`verify`).
	RemovedIn *Layer
	// Suppression, when set, is the policy exception that lets the finding through: it is reported,
	// and does not count as an error or warning.
	Suppression *Suppression
}

// Suppression is a build policy exception that applied to a finding.
type Suppression struct {
	Reason  string `json:"reason"`
	Expires string `json:"expires"` // the last day it applies, YYYY-MM-DD
	Policy  string `json:"policy"`  // where the exception is written: "file:line (layer)"
}

// Range is a span in an artifact: 1-based lines, 1-based byte columns; End is exclusive (the column
// after the last byte). A finding with a line only has Column 0.
type Range struct {
	Start Position `json:"start"`
	End   Position `json:"end"`
}

// Position is a place in an artifact.
type Position struct {
	Line   int `json:"line"`
	Column int `json:"column,omitempty"`
}

// Layer names an image layer.
type Layer struct {
	Index     int    `json:"index"`
	Digest    string `json:"digest,omitempty"`
	DiffID    string `json:"diff_id,omitempty"`
	CreatedBy string `json:"created_by,omitempty"`
	Platform  string `json:"platform,omitempty"`
}

// Summary counts what a report holds.
type Summary struct {
	Files    int `json:"files"`
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Infos    int `json:"infos"`
	// Suppressed counts the findings that policy exceptions let through.
	Suppressed int `json:"suppressed"`
}

// Summary counts the report's findings by severity, and the files checked: the report's files (the
// Dockerfiles of `check`), or the regular files read from the image's layers (`verify`, whose report
// lists only the artifacts with findings).
func (r *Report) Summary() Summary {
	s := Summary{Files: len(r.Files)}
	if r.Image != nil {
		s.Files = r.Image.Files
	}
	for _, f := range r.Files {
		for _, fd := range f.Findings {
			if fd.Suppression != nil {
				s.Suppressed++
				continue
			}
			switch fd.Severity {
			case "error":
				s.Errors++
			case "warning":
				s.Warnings++
			default:
				s.Infos++
			}
		}
	}
	return s
}

// File returns the file with the path, adding it at the end when it is not there yet.
func (r *Report) File(path string) *File {
	for i := range r.Files {
		if r.Files[i].Path == path {
			return &r.Files[i]
		}
	}
	r.Files = append(r.Files, File{Path: path})
	return &r.Files[len(r.Files)-1]
}

// The JSON form (docs/cli.md documents it field by field).

type jsonReport struct {
	Schema  int        `json:"schema"`
	Version string     `json:"version"`
	Command string     `json:"command"`
	Image   *jsonImage `json:"image,omitempty"`
	Files   []jsonFile `json:"files"`
	Summary Summary    `json:"summary"`
}

type jsonImage struct {
	Ref    string `json:"ref"`
	Images []Part `json:"images"`
	Layers int    `json:"layers"`
	Files  int    `json:"files"`
	Bytes  int64  `json:"bytes"`
}

type jsonFile struct {
	Path     string        `json:"path"`
	Findings []jsonFinding `json:"findings"`
	Notes    []string      `json:"notes,omitempty"`
}

type jsonFinding struct {
	Rule        string       `json:"rule"`
	Name        string       `json:"name"`
	Severity    string       `json:"severity"`
	Message     string       `json:"message"`
	Range       *Range       `json:"range,omitempty"`
	Doc         string       `json:"doc,omitempty"`
	Fix         string       `json:"fix,omitempty"`
	Path        string       `json:"path,omitempty"`
	Layer       *Layer       `json:"layer,omitempty"`
	RemovedIn   *Layer       `json:"removed_in,omitempty"`
	Suppression *Suppression `json:"suppression,omitempty"`
}

// WriteJSON writes the report in tightlip's JSON schema, indented, with a final newline.
func WriteJSON(w io.Writer, r *Report) error {
	out := jsonReport{
		Schema:  SchemaVersion,
		Version: r.Tool.Version,
		Command: r.Tool.Command,
		Files:   []jsonFile{},
		Summary: r.Summary(),
	}
	if r.Image != nil {
		out.Image = &jsonImage{Ref: r.Image.Ref, Images: r.Image.Images, Layers: r.Image.Layers, Files: r.Image.Files, Bytes: r.Image.Bytes}
		if out.Image.Images == nil {
			out.Image.Images = []Part{}
		}
	}
	for _, f := range r.Files {
		jf := jsonFile{Path: f.Path, Findings: []jsonFinding{}, Notes: f.Notes}
		for _, fd := range f.Findings {
			jf.Findings = append(jf.Findings, jsonFinding{
				Rule: fd.RuleID, Name: fd.RuleName, Severity: fd.Severity, Message: fd.Message,
				Range: fd.Range, Doc: fd.Doc, Fix: fd.Fix, Path: fd.Path, Layer: fd.Layer, RemovedIn: fd.RemovedIn,
				Suppression: fd.Suppression,
			})
		}
		out.Files = append(out.Files, jf)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}
