package shellflow

import (
	"path"
	"slices"
	"strings"
)

// reader models a command that prints (a transformation of) the files it
// is given, or its standard input. With script, the first operand is a
// program (sed, awk, grep, jq) unless given with -e/-f, and the arguments
// count as data.
func (a *analyzer) reader(st *state, c *call, script bool, valued string) opts {
	o := parseOpts(c.args[1:], valued, false)
	files := o.ops
	var t taint
	if script {
		t = c.argTaint()
		if len(o.values("-e", "--regexp", "-f", "--file")) == 0 && len(files) > 0 {
			files = files[1:]
		}
		for _, f := range o.values("-f", "--file", "--slurpfile", "--rawfile") {
			t |= a.readTaint(st, a.absVal(st, f.val), false)
		}
	}
	rec := o.has("-r", "-R", "--recursive")
	for _, f := range files {
		t |= a.readTaint(st, a.absVal(st, f.val), rec)
	}
	t |= a.stdinIf(st, files)
	a.emit(st, 1, t, "")
	return o
}

// readerOpts lists the options that take a value, for the commands that
// reader models without a script.
func readerOpts(name string) string {
	switch name {
	case "head", "tail":
		return "-n -c --lines --bytes -s --sleep-interval --pid"
	case "base64", "base32", "basenc", "fold", "fmt":
		return "-w --wrap --width -g --goal -p --prefix"
	case "od":
		return "-A -j -N -S -t -w --address-radix --skip-bytes --read-bytes --strings --format --width"
	case "hexdump":
		return "-e -f -n -s"
	case "strings":
		return "-n -t -e --bytes --radix --encoding"
	case "tac":
		return "-s --separator"
	case "cut":
		return "-b -c -d -f --bytes --characters --delimiter --fields --output-delimiter"
	case "paste":
		return "-d --delimiters"
	case "nl":
		return "-b -d -f -h -i -l -n -s -v -w"
	case "column":
		return "-c -s -o -N -R -E -H -W -l"
	case "iconv":
		return "-f -t --from-code --to-code -o --output"
	case "expand", "unexpand":
		return "-t --tabs"
	case "diff":
		return "-U -C -x -X -I -L --label"
	case "join":
		return "-1 -2 -j -t -e -o -a -v"
	case "shuf":
		return "-n -o -i --head-count --random-source"
	}
	return ""
}

func (a *analyzer) readOps(st *state, ops []arg) taint {
	var t taint
	for _, op := range ops {
		t |= a.readTaint(st, a.absVal(st, op.val), true)
	}
	return t
}

// stdinIf is the taint of standard input if a command given files reads it.
func (a *analyzer) stdinIf(st *state, files []arg) taint {
	if len(files) == 0 || slices.ContainsFunc(files, func(f arg) bool { return f.s == "-" }) {
		return st.in
	}
	return 0
}

// sedInPlace handles sed -i and reports whether it applied.
func (a *analyzer) sedInPlace(st *state, c *call) bool {
	inplace := false
	var scripts, scriptFiles, ops []arg
	args := c.args[1:]
	for i := 0; i < len(args); i++ {
		s := args[i].s
		switch {
		case s == "--":
			ops = append(ops, args[i+1:]...)
			i = len(args)
		case s == "--in-place" || strings.HasPrefix(s, "--in-place="):
			inplace = true
		case s == "--expression" || s == "--file":
			if i+1 < len(args) {
				i++
				if s == "--file" {
					scriptFiles = append(scriptFiles, args[i])
				} else {
					scripts = append(scripts, args[i])
				}
			}
		case strings.HasPrefix(s, "--expression="):
			scripts = append(scripts, arg{val: val{s: s[len("--expression="):], t: args[i].t}})
		case strings.HasPrefix(s, "--"):
		case len(s) > 1 && s[0] == '-':
		cluster:
			for j := 1; j < len(s); j++ {
				switch s[j] {
				case 'i':
					inplace = true
					break cluster // the rest is a backup suffix
				case 'e', 'f', 'l':
					v := arg{val: val{s: s[j+1:], t: args[i].t}}
					if j+1 == len(s) && i+1 < len(args) {
						i++
						v = args[i]
					}
					switch s[j] {
					case 'e':
						scripts = append(scripts, v)
					case 'f':
						scriptFiles = append(scriptFiles, v)
					}
					break cluster
				}
			}
		default:
			ops = append(ops, args[i])
		}
	}
	if !inplace {
		return false
	}
	if len(scripts) == 0 && len(scriptFiles) == 0 && len(ops) > 0 {
		scripts, ops = ops[:1], ops[1:]
	}
	var t taint
	for _, s := range scripts {
		t |= s.t
	}
	for _, f := range scriptFiles {
		t |= a.readTaint(st, a.absVal(st, f.val), false)
	}
	for _, op := range ops {
		// The file keeps what it had; the script's text is added.
		a.writeFile(st, a.abs(st, op.s), t, true, c.fact("sed -i"))
	}
	return true
}

func (a *analyzer) perl(st *state, c *call) {
	inplace := false
	var scripts, ops []arg
	args := c.args[1:]
	for i := 0; i < len(args); i++ {
		s := args[i].s
		switch {
		case s == "--":
			ops = append(ops, args[i+1:]...)
			i = len(args)
		case len(s) > 1 && s[0] == '-' && s[1] != '-':
		cluster:
			for j := 1; j < len(s); j++ {
				switch s[j] {
				case 'i':
					inplace = true
					break cluster
				case 'e', 'E':
					if j+1 < len(s) {
						scripts = append(scripts, arg{val: val{s: s[j+1:], t: args[i].t}})
					} else if i+1 < len(args) {
						i++
						scripts = append(scripts, args[i])
					}
					break cluster
				case 'M', 'm', 'I', 'x', 'l', '0', 'C', 'd', 'D':
					break cluster
				}
			}
		default:
			ops = append(ops, args[i])
		}
	}
	if !inplace {
		a.program(st, c)
		return
	}
	if len(scripts) == 0 && len(ops) > 0 {
		ops = ops[1:] // a script file
	}
	var t taint
	for _, s := range scripts {
		t |= s.t
	}
	for _, op := range ops {
		a.writeFile(st, a.abs(st, op.s), t, true, c.fact("perl -i"))
	}
}

// copyCmd handles cp, mv, install, ln and rsync: SRC… DEST, or -t DIR SRC….
func (a *analyzer) copyCmd(st *state, c *call, how, valued string) {
	o := parseOpts(c.args[1:], valued, false)
	srcs := o.ops
	var dest string
	var destDir bool
	if t, ok := o.value("-t", "--target-directory"); ok {
		dest, destDir = a.abs(st, t.s), true
	} else {
		if len(srcs) < 2 {
			if how == "ln" && len(srcs) == 1 {
				srcs = append(srcs, arg{val: val{s: "."}})
			} else {
				return
			}
		}
		d := srcs[len(srcs)-1]
		srcs = srcs[:len(srcs)-1]
		if how == "rsync" && isRemote(d.s) {
			return
		}
		dest = a.abs(st, d.s)
		destDir = len(srcs) > 1 || strings.HasSuffix(d.s, "/") || a.isDir(dest)
	}
	if o.has("-T", "--no-target-directory") {
		destDir = false
	}
	symlink := how == "ln" && o.has("-s", "--symbolic")
	if symlink {
		how = "ln -s"
	}
	for _, src := range srcs {
		if how == "rsync" && isRemote(src.s) {
			a.write(st, dest, 0, true, c.fact(how))
			continue
		}
		sv := a.absVal(st, src.val)
		p := dest
		contents := strings.HasSuffix(src.s, "/.") || how == "rsync" && strings.HasSuffix(src.s, "/")
		if destDir && !sv.glob && !contents {
			p = dest + "/" + path.Base(sv.s)
		}
		if symlink {
			// A symlink holds a path, not the content; one to a secret
			// mount dangles once the RUN ends.
			a.event(false, p, c.fact(how))
			continue
		}
		t := a.readTaint(st, sv, true)
		if how == "mv" {
			a.remove(st, sv, true, c.fact("mv"))
		}
		a.writeFile(st, p, t, false, c.fact(how))
	}
}

func isRemote(s string) bool {
	if strings.Contains(s, "://") {
		return true
	}
	i := strings.IndexByte(s, ':')
	return i > 0 && !strings.Contains(s[:i], "/")
}

func (a *analyzer) dd(st *state, c *call) {
	t := st.in
	var of string
	appendMode := false
	for _, ar := range c.args[1:] {
		k, v, _ := strings.Cut(ar.s, "=")
		switch k {
		case "if":
			t = a.readTaint(st, val{s: a.abs(st, v)}, false)
		case "of":
			of = a.abs(st, v)
		case "conv", "oflag":
			appendMode = appendMode || strings.Contains(v, "notrunc") || strings.Contains(v, "append")
		}
	}
	if of == "" {
		a.emit(st, 1, t, "")
		return
	}
	a.writeFile(st, of, t, appendMode, c.fact("dd"))
}

func (a *analyzer) tar(st *state, c *call) {
	args := c.args[1:]
	if len(args) > 0 && args[0].s != "" && args[0].s[0] != '-' && strings.Trim(args[0].s, "AcdrtuxfvzjJaCpPOkmSWwhlLnoZ") == "" {
		// Old-style options: tar czf out.tgz dir
		first := args[0]
		first.s = "-" + first.s
		args = append([]arg{first}, args[1:]...)
	}
	o := parseOpts(args, "-f --file -C --directory -T --files-from -X --exclude-from -b --blocking-factor -H --format -I --use-compress-program -K -L -N -V --exclude --transform --owner --group --mode --mtime", false)
	dir := st.cwd
	if d, ok := o.value("-C", "--directory"); ok {
		dir = a.abs(st, d.s)
	}
	archive, hasF := o.value("-f", "--file")
	toStd := !hasF || archive.s == "-"
	switch {
	case o.has("-c", "--create", "-r", "--append", "-u", "--update"):
		var t taint
		for _, op := range o.ops {
			v := op.val
			if !strings.HasPrefix(v.s, "/") && v.s != "" && v.s[0] != 0 {
				v.s = dir + "/" + v.s
			}
			t |= a.readTaint(st, a.absVal(st, v), true)
		}
		if toStd {
			a.emit(st, 1, t, "")
			return
		}
		a.writeFile(st, a.abs(st, archive.s), t, false, c.fact("tar"))
	case o.has("-x", "--extract", "--get"):
		t := st.in
		if !toStd {
			t = a.readTaint(st, a.absVal(st, archive.val), false)
		}
		if o.has("-O", "--to-stdout") {
			a.emit(st, 1, t, "")
			return
		}
		a.write(st, dir, t, true, c.fact("tar -x"))
	}
}

func (a *analyzer) compress(st *state, c *call, name string) {
	o := parseOpts(c.args[1:], "-S --suffix -o --output -T --threads -b --block-size -B -F --format -C --check -M --memlimit", false)
	decompress := strings.HasPrefix(name, "gun") || strings.HasPrefix(name, "bun") || strings.HasPrefix(name, "un") || o.has("-d", "--decompress", "--uncompress")
	if len(o.ops) == 0 || o.has("-c", "--stdout", "--to-stdout") {
		a.emit(st, 1, a.readOps(st, o.ops)|a.stdinIf(st, o.ops), "")
		return
	}
	ext := map[string]string{"gzip": ".gz", "gunzip": ".gz", "pigz": ".gz", "bzip2": ".bz2", "bunzip2": ".bz2", "xz": ".xz", "unxz": ".xz",
		"zstd": ".zst", "unzstd": ".zst", "lz4": ".lz4", "compress": ".Z", "uncompress": ".Z", "lzma": ".lzma", "unlzma": ".lzma"}[name]
	if s, ok := o.value("-S", "--suffix"); ok {
		ext = s.s
	}
	keep := o.has("-k", "--keep") || name == "zstd" || name == "unzstd" || name == "lz4"
	for _, op := range o.ops {
		src := a.absVal(st, op.val)
		t := a.readTaint(st, src, false)
		dst := src.s + ext
		if decompress {
			dst = strings.TrimSuffix(src.s, ext)
		}
		if out, ok := o.value("-o", "--output"); ok {
			dst = a.abs(st, out.s)
		}
		if !keep {
			a.remove(st, src, false, c.fact(name))
		}
		a.writeFile(st, dst, t, false, c.fact(name))
	}
}

func (a *analyzer) openssl(st *state, c *call) {
	var in, out string
	args := c.args[1:]
	for i := 0; i+1 < len(args); i++ {
		switch args[i].s {
		case "-in":
			in = args[i+1].s
		case "-out":
			out = args[i+1].s
		}
	}
	t := st.in
	if in != "" {
		t = a.readTaint(st, val{s: a.abs(st, in)}, false)
	}
	if out == "" {
		a.emit(st, 1, t, "")
		return
	}
	a.writeFile(st, a.abs(st, out), t, false, c.fact("openssl"))
}

func (a *analyzer) find(st *state, c *call) {
	args := c.args[1:]
	var roots []arg
	for len(args) > 0 && !strings.HasPrefix(args[0].s, "-") && args[0].s != "(" && args[0].s != "!" {
		roots = append(roots, args[0])
		args = args[1:]
	}
	if len(roots) == 0 {
		roots = []arg{{val: val{s: "."}}}
	}
	del, exact := false, true
	var names []string
	for i := 0; i < len(args); i++ {
		switch s := args[i].s; s {
		case "-delete":
			del = true
		case "-exec", "-execdir", "-ok", "-okdir":
			j := i + 1
			for j < len(args) && args[j].s != ";" && args[j].s != "+" {
				j++
			}
			if j > i+1 {
				cmd := path.Base(args[i+1].s)
				rest := args[i+2 : j]
				switch {
				case cmd == "rm" || cmd == "unlink":
					del = true
				case cmd == "shred" && slices.ContainsFunc(rest, func(r arg) bool { return r.s == "-u" || strings.HasPrefix(r.s, "--remove") }):
					del = true
				}
			}
			i = j
		case "-name", "-iname":
			if i+1 < len(args) {
				names = append(names, args[i+1].s)
				i++
			}
		case "-type", "-mindepth", "-maxdepth", "-xtype":
			i++
		case "-depth", "-print", "-print0", "-xdev", "-mount", "-true":
		default:
			exact = false // a test the analysis does not evaluate
		}
	}
	if !del {
		return
	}
	for _, r := range roots {
		root := a.abs(st, r.s)
		f := c.fact("find -delete")
		if !exact {
			a.event(true, root, f)
			continue
		}
		a.removeFunc(st, root, f, func(q string) bool {
			if !under(q, root) {
				return false
			}
			if len(names) == 0 {
				return true
			}
			for _, n := range names {
				if ok, _ := path.Match(n, path.Base(q)); ok {
					return true
				}
			}
			return false
		})
	}
}

// mktemp creates a temporary file or directory and returns its path.
func (a *analyzer) mktemp(st *state, c *call) string {
	o := parseOpts(c.args[1:], "-p --tmpdir --suffix", false)
	tmpl := "tmp.XXXXXXXXXX"
	if len(o.ops) > 0 {
		tmpl = o.ops[0].s
	}
	dir := "/tmp"
	if v, ok := st.vars["TMPDIR"]; ok && known(v.s) && v.s != "" {
		dir = v.s
	}
	switch d, ok := o.value("-p", "--tmpdir"); {
	case ok:
		dir = a.abs(st, d.s)
	case len(o.ops) > 0 && !o.has("-t", "--tmpdir"):
		dir = st.cwd // a template without -t is relative to the working directory
	}
	if strings.Contains(tmpl, "/") {
		p := a.abs(st, tmpl)
		dir, tmpl = path.Dir(p), path.Base(p)
	}
	p := path.Join(dir, a.sym(tmpl))
	how := "mktemp"
	if o.has("-d", "--directory") {
		how = "mktemp -d"
		a.dirs[p] = true
	}
	a.event(false, p, c.fact(how))
	return p
}

func (a *analyzer) curl(st *state, c *call) {
	o := parseOpts(c.args[1:], "-o --output -H --header -d --data --data-raw --data-binary --data-urlencode --json -u --user -X --request -A --user-agent -e --referer -b --cookie -c --cookie-jar -K --config -T --upload-file -F --form -x --proxy -U --proxy-user -w --write-out -m --max-time --connect-timeout --retry --retry-delay --retry-max-time -D --dump-header --trace --trace-ascii --output-dir --cacert --capath --cert --key --pass -E --netrc-file -r --range -y -Y -z --resolve --interface --limit-rate --oauth2-bearer --proto --proto-redir --stderr -C --continue-at -Q --quote --url --variable --expand-url", false)
	at := c.argTaint()
	dir := st.cwd
	if d, ok := o.value("--output-dir"); ok {
		dir = a.abs(st, d.s)
	}
	for _, out := range o.values("-o", "--output") {
		if out.s == "-" {
			continue
		}
		p := out.s
		if !strings.HasPrefix(p, "/") {
			p = dir + "/" + p
		}
		a.writeFile(st, a.abs(st, p), 0, false, c.fact("curl -o"))
	}
	for _, tr := range o.values("--trace", "--trace-ascii") {
		// The trace holds the request headers, credentials included.
		a.writeFile(st, a.abs(st, tr.s), at, false, c.fact("curl "+o.flagName(tr)))
	}
	if o.has("-v", "--verbose") {
		if e, ok := o.value("--stderr"); ok {
			a.writeFile(st, a.abs(st, e.s), at, false, c.fact("curl --stderr"))
		} else {
			a.emit(st, 2, at, "")
		}
	}
}

func (o *opts) flagName(v arg) string {
	for _, f := range o.flags {
		if f.hasV && f.v.pos == v.pos && f.v.s == v.s {
			return f.name
		}
	}
	return ""
}

func (a *analyzer) wget(st *state, c *call) {
	o := parseOpts(c.args[1:], "-O --output-document -o --output-file -a --append-output -P --directory-prefix --header -U --user-agent --user --password --http-user --http-password -t --tries -T --timeout -e --execute -i --input-file --post-data --post-file --ca-certificate --certificate --private-key --load-cookies --save-cookies -w --wait -Q --quota -l --level -A --accept -R --reject", false)
	for _, out := range o.values("-O", "--output-document") {
		if out.s != "-" {
			a.writeFile(st, a.abs(st, out.s), 0, false, c.fact("wget -O"))
		}
	}
	// The log names the URLs, with any credential in them.
	var t taint
	for _, op := range o.ops {
		t |= op.t
	}
	for _, l := range o.values("-o", "--output-file", "-a", "--append-output") {
		a.writeFile(st, a.abs(st, l.s), t, o.flagName(l) == "-a" || o.flagName(l) == "--append-output", c.fact("wget "+o.flagName(l)))
	}
}

// git records the files git writes that are not credential stores (those
// are in the store table).
func (a *analyzer) git(st *state, c *call) {
	o := parseOpts(c.args[1:], gitOpts, false)
	if len(o.ops) >= 2 && o.ops[0].s == "clone" {
		a.mkdir(st, a.abs(st, gitCloneDir(o.ops[1:])), c.fact("git clone"))
	}
}
