package cli

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/tightlip/tightlip/analysis"
	"github.com/tightlip/tightlip/rules"
)

func runRules(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("rules", "[ID]", stderr)
	if code, stop := parseFlags(fs, args); stop {
		return code
	}
	switch fs.NArg() {
	case 0:
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tSEVERITY\tSUMMARY\tDOC")
		for _, r := range rules.All() {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.ID, r.Name, r.Severity, r.Summary, analysis.DocURL(r))
		}
		tw.Flush()
		return exitOK
	case 1:
		id := strings.ToUpper(fs.Arg(0))
		for _, r := range rules.All() {
			if r.ID == id || r.Name == fs.Arg(0) {
				fmt.Fprint(stdout, rules.Markdown(r))
				return exitOK
			}
		}
		fmt.Fprintf(stderr, "tightlip: no rule %q (see 'tightlip rules')\n", fs.Arg(0))
		return exitUsage
	}
	fs.Usage()
	return exitUsage
}
