package shellflow

import (
	"path"
	"slices"
	"strconv"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// call is one simple command after expansion.
type call struct {
	u        *unit
	pos      Pos
	text     snippet
	args     []arg          // args[0] is the command name
	env      map[string]val // VAR=value prefixes, env VAR=value
	clearEnv bool           // env -i, sudo: the shell's variables are not passed on
	noFunc   bool           // command, sudo …: shell functions are not looked up
	hdoc     *syntax.Word   // heredoc on standard input
}

func (c *call) fact(how string) fact { return fact{pos: c.pos, how: how, text: c.text} }

// with returns c running the command line args instead.
func (c *call) with(args []arg) *call {
	d := *c
	d.args = args
	return &d
}

// setEnv returns c with one more variable in the command's environment.
func (c *call) setEnv(name string, v val) *call {
	d := *c
	d.env = make(map[string]val, len(c.env)+1)
	for k, v := range c.env {
		d.env[k] = v
	}
	d.env[name] = v
	return &d
}

// argTaint is the taint of the arguments (not the command name).
func (c *call) argTaint() taint {
	var t taint
	for _, a := range c.args[1:] {
		t |= a.t
	}
	return t
}

// opts is a command line split into options and operands.
type opts struct {
	ops   []arg
	flags []flag
}

type flag struct {
	name string
	v    arg
	hasV bool
}

// parseOpts splits args (without the command name) getopt-style. valued
// lists the options that take a value, separated by spaces
// ("-o --output"). With stop, the first operand ends the options, as for
// commands that run another command (sudo, xargs).
func parseOpts(args []arg, valued string, stop bool) opts {
	if !slices.ContainsFunc(args, func(ar arg) bool { return isOption(ar.s) }) {
		// Operands only: they are args (with no room to append into args).
		return opts{ops: args[:len(args):len(args)]}
	}
	o := opts{ops: make([]arg, 0, len(args))}
	takes := func(name string) bool {
		i := strings.Index(valued, name)
		return i >= 0 && (i == 0 || valued[i-1] == ' ') && (i+len(name) == len(valued) || valued[i+len(name)] == ' ')
	}
	for i := 0; i < len(args); i++ {
		ar := args[i]
		s := ar.s
		if s == "--" {
			o.ops = append(o.ops, args[i+1:]...)
			break
		}
		if !isOption(s) {
			o.ops = append(o.ops, ar)
			if stop {
				o.ops = append(o.ops, args[i+1:]...)
				break
			}
			continue
		}
		if strings.HasPrefix(s, "--") {
			name, v, hasV := strings.Cut(s, "=")
			f := flag{name: name}
			switch {
			case hasV:
				f.v, f.hasV = arg{val: val{s: v, t: ar.t}, w: ar.w, pos: ar.pos}, true
			case takes(name) && i+1 < len(args):
				i++
				f.v, f.hasV = args[i], true
			}
			o.flags = append(o.flags, f)
			continue
		}
		for j := 1; j < len(s); j++ {
			name := "-" + s[j:j+1]
			if !takes(name) {
				o.flags = append(o.flags, flag{name: name})
				continue
			}
			f := flag{name: name, hasV: true}
			if j+1 < len(s) {
				f.v = arg{val: val{s: s[j+1:], t: ar.t}, w: ar.w, pos: ar.pos}
			} else if i+1 < len(args) {
				i++
				f.v = args[i]
			} else {
				f.hasV = false
			}
			o.flags = append(o.flags, f)
			break
		}
	}
	return o
}

// isOption reports whether a word of a command line is an option ("-x", "--name", "--"): not "-",
// nor "-" followed by text that is not known (-$OPT).
func isOption(s string) bool { return len(s) >= 2 && s[0] == '-' && s[1] != 0 }

func (o *opts) has(names ...string) bool {
	for _, f := range o.flags {
		if slices.Contains(names, f.name) {
			return true
		}
	}
	return false
}

// value returns the value of the last of the named options.
func (o *opts) value(names ...string) (arg, bool) {
	for i := len(o.flags) - 1; i >= 0; i-- {
		if f := o.flags[i]; f.hasV && slices.Contains(names, f.name) {
			return f.v, true
		}
	}
	return arg{}, false
}

func (o *opts) values(names ...string) []arg {
	var out []arg
	for _, f := range o.flags {
		if f.hasV && slices.Contains(names, f.name) {
			out = append(out, f.v)
		}
	}
	return out
}

// absVal resolves a path value, keeping a pattern in step.
func (a *analyzer) absVal(st *state, v val) val {
	v.s = a.abs(st, v.s)
	if v.glob {
		v.pat = a.abs(st, v.pat)
	}
	return v
}

// getenv returns a variable of the environment the program of c sees.
func (a *analyzer) getenv(st *state, c *call, name string) (string, bool) {
	if v, ok := c.env[name]; ok {
		return v.s, true
	}
	if c.clearEnv {
		return "", false
	}
	if v, ok := st.vars[name]; ok && v.exported {
		return v.s, true
	}
	return "", false
}

// home is the home directory the program of c sees.
func (a *analyzer) progHome(st *state, c *call) string {
	if h, ok := a.getenv(st, c, "HOME"); ok && h != "" {
		return h
	}
	return a.homeDir(&state{})
}

func (a *analyzer) userHome(user string) string {
	switch {
	case user == "root" || user == "0":
		return "/root"
	case known(user) && user != "":
		return "/home/" + user
	}
	return a.sym("~" + a.display(user))
}

// run analyses one simple command.
func (a *analyzer) run(st *state, c *call) {
	if len(c.args) == 0 || st.dead {
		return
	}
	cmd := c.args[0].s
	if !known(cmd) {
		a.program(st, c)
		return
	}
	if !c.noFunc {
		if fn, ok := a.funcs[cmd]; ok {
			a.callFunc(st, c, fn)
			return
		}
	}
	name := path.Base(cmd)
	if strings.HasPrefix(name, "python") && len(c.args) > 2 && c.args[1].s == "-m" {
		// python3 -m pip …
		switch c.args[2].s {
		case "pip", "poetry", "pipx":
			d := c.with(c.args[2:])
			d.noFunc = true
			a.run(st, d)
			return
		}
	}
	if strings.HasPrefix(name, "pip") {
		name = "pip" // pip3, pip3.12
	}
	a.storeCmd(st, c, name)
	args := c.args[1:]
	switch name {
	// Commands that run another command.
	case "sudo", "doas":
		a.sudo(st, c)
	case "env":
		a.envCmd(st, c)
	case "exec":
		o := parseOpts(args, "-a", true)
		if len(o.ops) > 0 {
			d := c.with(o.ops)
			d.noFunc = true
			a.run(st, d)
			a.exit(st, true)
		}
	case "command", "builtin":
		o := parseOpts(args, "", true)
		if len(o.ops) > 0 && !o.has("-v", "-V") {
			d := c.with(o.ops)
			d.noFunc = true
			a.run(st, d)
		}
	case "nohup", "time", "setsid", "unbuffer", "chronic", "eatmydata", "fakeroot", "dumb-init", "tini", "catchsegv":
		a.wrapped(st, c, "")
	case "nice":
		a.wrapped(st, c, "-n --adjustment")
	case "ionice":
		a.wrapped(st, c, "-c --class -n --classdata -p --pid")
	case "stdbuf":
		a.wrapped(st, c, "-i -o -e --input --output --error")
	case "timeout":
		o := parseOpts(args, "-k --kill-after -s --signal", true)
		if len(o.ops) > 1 {
			a.run(st, c.with(o.ops[1:]))
		}
	case "gosu", "su-exec":
		if len(args) > 1 {
			d := c.with(args[1:]).setEnv("HOME", val{s: a.userHome(args[0].s)})
			a.run(st, d)
		}
	case "xargs":
		a.xargs(st, c)
	case "sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "busybox":
		if name == "busybox" {
			if len(args) == 0 || !isShell(args[0].s) {
				a.program(st, c)
				return
			}
			args = args[1:]
		}
		a.shell(st, c, args)
	case "su", "runuser":
		a.su(st, c)

	// Builtins.
	case "eval":
		a.eval(st, c)
	case "source", ".":
		if len(args) > 0 {
			if t := a.readTaint(st, a.absVal(st, args[0].val), false); t != 0 {
				st.wild |= t
				a.noteAt(c.fact(""), "sourcing a secret file: every variable the script does not set is taken to derive from it")
			}
		}
	case "trap":
		a.trap(st, c)
	case "exit":
		ok := len(args) == 0 || !known(args[0].s) || args[0].s == "0"
		a.exit(st, ok)
	case "return":
		a.ret(st)
	case "break", "continue":
		n := 1
		if len(args) > 0 {
			if v, err := strconv.Atoi(args[0].s); err == nil && v > 0 {
				n = v
			}
		}
		a.breakLoop(st, name == "continue", n)
	case "cd":
		o := parseOpts(args, "", false)
		switch {
		case len(o.ops) == 0:
			a.cd(st, a.homeDir(st))
		case o.ops[0].s == "-":
			a.cd(st, a.sym("$OLDPWD"))
		default:
			a.cd(st, a.abs(st, o.ops[0].s))
		}
	case "pushd":
		o := parseOpts(args, "", false)
		if len(o.ops) > 0 && !strings.HasPrefix(o.ops[0].s, "+") {
			st.dirs = append(st.dirs[:len(st.dirs):len(st.dirs)], st.cwd)
			a.cd(st, a.abs(st, o.ops[0].s))
		}
	case "popd":
		if n := len(st.dirs); n > 0 {
			st.cwd, st.dirs = st.dirs[n-1], st.dirs[:n-1:n-1]
		} else {
			st.cwd = a.sym("$PWD")
		}
	case "read":
		o := parseOpts(args, "-a -d -i -n -N -p -t -u", false)
		names := o.ops
		if v, ok := o.value("-a"); ok {
			names = append(names, v)
		}
		if len(names) == 0 {
			names = []arg{{val: val{s: "REPLY"}}}
		}
		for _, n := range names {
			a.setVar(st, n.s, val{s: a.sym("$" + n.s), t: st.in}, false)
		}
	case "mapfile", "readarray":
		o := parseOpts(args, "-d -n -O -s -u -C -c", false)
		n := "MAPFILE"
		if len(o.ops) > 0 {
			n = o.ops[0].s
		}
		a.setVar(st, n, val{s: a.sym("$" + n), t: st.in}, false)
	case "echo":
		a.emit(st, 1, c.argTaint(), "")
	case "printf":
		o := parseOpts(args, "-v", false)
		var t taint
		for _, op := range o.ops {
			t |= op.t
		}
		if v, ok := o.value("-v"); ok {
			a.setVar(st, v.s, val{s: a.sym("$" + v.s), t: t}, false)
			break
		}
		a.emit(st, 1, t, "")
	case "export", "declare", "typeset", "local", "readonly":
		a.declArgs(st, c, name)
	case "unset":
		o := parseOpts(args, "", false)
		for _, op := range o.ops {
			if o.has("-f") {
				delete(a.funcs, op.s)
				continue
			}
			st.wvars()[op.s] = variable{}
		}
	case "set":
		a.set(st, c)
	case "printenv":
		o := parseOpts(args, "", false)
		if len(o.ops) == 0 {
			a.emit(st, 1, a.envTaint(st, c, false), "environment dump")
			break
		}
		for _, op := range o.ops {
			if v, ok := st.vars[op.s]; ok && v.exported {
				a.emit(st, 1, v.t, "")
			}
		}
	case "envsubst":
		t := st.in
		o := parseOpts(args, "", false)
		for _, v := range st.vars {
			if v.exported && (len(o.ops) == 0 || strings.Contains(o.ops[0].s, "$")) {
				t |= v.t
			}
		}
		a.emit(st, 1, t|st.wild, "")

	// Files.
	case "cat", "tac", "head", "tail", "nl", "base64", "base32", "basenc", "od", "hexdump", "strings",
		"rev", "fold", "fmt", "expand", "unexpand", "cut", "paste", "column", "iconv", "uuencode",
		"zcat", "gzcat", "bzcat", "xzcat", "zstdcat", "lz4cat", "diff", "comm", "join", "shuf":
		a.reader(st, c, false, readerOpts(name))
	case "sort", "uniq":
		o := a.reader(st, c, false, "-o --output -k --key -t --field-separator -S --buffer-size -T -f -s -w")
		if out, ok := o.value("-o", "--output"); ok {
			a.write(st, a.abs(st, out.s), a.readOps(st, o.ops)|a.stdinIf(st, o.ops), false, c.fact(name+" -o"))
		}
	case "xxd":
		o := parseOpts(args, "-c -g -l -s -o -n --name", false)
		t := st.in
		if len(o.ops) > 0 {
			t = a.readTaint(st, a.absVal(st, o.ops[0].val), false)
		}
		if len(o.ops) > 1 {
			a.write(st, a.abs(st, o.ops[1].s), t, false, c.fact("xxd"))
			break
		}
		a.emit(st, 1, t, "")
	case "grep", "egrep", "fgrep", "rg":
		a.reader(st, c, true, "-e --regexp -f --file -m --max-count -A --after-context -B --before-context -C --context --label -d --directories -D --devices --exclude --include --exclude-dir -g --glob -t --type -T --type-not")
	case "sed":
		if !a.sedInPlace(st, c) {
			a.reader(st, c, true, "-e --expression -f --file -l --line-length")
		}
	case "awk", "gawk", "mawk", "nawk":
		a.reader(st, c, true, "-v --assign -f --file -F --field-separator")
	case "jq", "yq", "gojq":
		// --arg NAME VALUE and friends take two values.
		args := make([]arg, 0, len(c.args))
		for i := 0; i < len(c.args); i++ {
			switch c.args[i].s {
			case "--arg", "--argjson", "--slurpfile", "--rawfile":
				if i+2 < len(c.args) {
					args = append(args, c.args[i+2]) // keep the value, for its taint
					if f := c.args[i].s; f == "--slurpfile" || f == "--rawfile" {
						args[len(args)-1] = arg{val: val{s: "-f"}}
						args = append(args, c.args[i+2])
					}
					i += 2
					continue
				}
			}
			args = append(args, c.args[i])
		}
		a.reader(st, c.with(args), true, "-f --from-file --indent -L --tab")
	case "tr":
		a.emit(st, 1, st.in|c.argTaint(), "") // tr reads standard input only
	case "perl":
		a.perl(st, c)
	case "tee":
		o := parseOpts(args, "--output-error", false)
		for _, op := range o.ops {
			a.writeFile(st, a.abs(st, op.s), st.in, o.has("-a", "--append"), c.fact("tee"))
		}
		a.emit(st, 1, st.in, "")
	case "cp":
		a.copyCmd(st, c, "cp", "-t --target-directory -S --suffix --backup --reflink --sparse --preserve --no-preserve")
	case "install":
		if o := parseOpts(args, "-m --mode -o --owner -g --group -t --target-directory -S --suffix -Z --context", false); o.has("-d", "--directory") {
			for _, op := range o.ops {
				a.mkdir(st, a.abs(st, op.s), c.fact("install -d"))
			}
			break
		}
		a.copyCmd(st, c, "install", "-m --mode -o --owner -g --group -t --target-directory -S --suffix -Z --context")
	case "mv":
		a.copyCmd(st, c, "mv", "-t --target-directory -S --suffix --backup")
	case "ln":
		a.copyCmd(st, c, "ln", "-t --target-directory -S --suffix --backup")
	case "rsync":
		a.copyCmd(st, c, "rsync", "-e --rsh --exclude --include --filter -f --files-from --exclude-from --include-from --chmod --chown --password-file --rsync-path -B --block-size --backup-dir --suffix -T --temp-dir --compare-dest --copy-dest --link-dest --log-file --port --timeout --max-size --min-size --bwlimit")
	case "dd":
		a.dd(st, c)
	case "tar", "bsdtar":
		a.tar(st, c)
	case "zip":
		o := parseOpts(args, "-P --password -x -i -b -n -t -tt -O --output-file", false)
		if len(o.ops) > 1 {
			a.write(st, a.abs(st, o.ops[0].s), a.readOps(st, o.ops[1:]), true, c.fact("zip"))
		}
	case "unzip":
		o := parseOpts(args, "-d -P -x", false)
		if len(o.ops) == 0 {
			break
		}
		t := a.readTaint(st, a.absVal(st, o.ops[0].val), false)
		if o.has("-p", "-c") {
			a.emit(st, 1, t, "")
			break
		}
		dir := st.cwd
		if d, ok := o.value("-d"); ok {
			dir = a.abs(st, d.s)
		}
		a.write(st, dir, t, true, c.fact("unzip"))
	case "gzip", "gunzip", "bzip2", "bunzip2", "xz", "unxz", "zstd", "unzstd", "lz4", "pigz", "compress", "uncompress", "lzma", "unlzma":
		a.compress(st, c, name)
	case "openssl":
		a.openssl(st, c)
	case "gpg", "gpg2":
		o := parseOpts(args, "-o --output -r --recipient -u --local-user --passphrase --passphrase-file --passphrase-fd --pinentry-mode --homedir --keyserver --trust-model --default-key --cipher-algo --digest-algo --compress-algo", false)
		t := a.readOps(st, o.ops) | a.stdinIf(st, o.ops)
		if out, ok := o.value("-o", "--output"); ok && out.s != "-" {
			a.write(st, a.abs(st, out.s), t, false, c.fact("gpg -o"))
			break
		}
		a.emit(st, 1, t, "")
	case "rm", "srm", "wipe":
		o := parseOpts(args, "", false)
		rec := o.has("-r", "-R", "--recursive")
		for _, op := range o.ops {
			a.remove(st, a.absVal(st, op.val), rec, c.fact("rm"))
		}
	case "unlink":
		for _, op := range args {
			a.remove(st, a.absVal(st, op.val), false, c.fact("unlink"))
		}
	case "shred":
		o := parseOpts(args, "-n --iterations -s --size --random-source", false)
		if o.has("-u", "--remove", "--zero") && o.has("-u", "--remove") {
			for _, op := range o.ops {
				a.remove(st, a.absVal(st, op.val), false, c.fact("shred -u"))
			}
			break
		}
		for _, op := range o.ops {
			// shred without -u overwrites the content: the secret is gone.
			a.write(st, a.abs(st, op.s), 0, false, c.fact("shred"))
		}
	case "rmdir":
		for _, op := range parseOpts(args, "", false).ops {
			a.event(true, a.abs(st, op.s), c.fact("rmdir"))
		}
	case "find":
		a.find(st, c)
	case "mkdir":
		for _, op := range parseOpts(args, "-m --mode -Z --context", false).ops {
			a.mkdir(st, a.abs(st, op.s), c.fact("mkdir"))
		}
	case "touch":
		for _, op := range parseOpts(args, "-d --date -r --reference -t", false).ops {
			a.event(false, a.abs(st, op.s), c.fact("touch"))
		}
	case "truncate":
		o := parseOpts(args, "-s --size -r --reference", false)
		if sz, ok := o.value("-s", "--size"); ok && sz.s == "0" {
			for _, op := range o.ops {
				a.write(st, a.abs(st, op.s), 0, false, c.fact("truncate"))
			}
		}
	case "mktemp":
		a.mktemp(st, c)
	case "curl":
		a.curl(st, c)
	case "wget":
		a.wget(st, c)

	// Programs whose output is not their arguments: the secrets they are
	// given are used, not printed.
	case "git", "npm", "npx", "yarn", "pnpm", "bun", "pip", "pipx", "uv", "poetry", "pipenv", "conda", "mamba", "micromamba",
		"apt-get", "apt", "aptitude", "apk", "yum", "dnf", "microdnf", "zypper", "pacman", "dpkg", "rpm",
		"gem", "bundle", "bundler", "composer", "mvn", "gradle", "sbt", "dotnet", "nuget",
		"docker", "podman", "buildah", "skopeo", "crane", "oras", "regctl", "helm", "kubectl",
		"aws", "gcloud", "gsutil", "az", "gh", "glab", "ssh", "ssh-keyscan", "scp", "sftp",
		"huggingface-cli", "hf", "cargo", "rustup", "mc", "doctl",
		"chmod", "chown", "chgrp", "ls", "stat", "id", "whoami", "which", "sleep", "true", "false", ":",
		"test", "[", "wc", "md5sum", "sha1sum", "sha224sum", "sha256sum", "sha384sum", "sha512sum", "b2sum", "cksum",
		"useradd", "adduser", "groupadd", "addgroup", "usermod", "update-ca-certificates", "ldconfig",
		"locale-gen", "update-alternatives", "systemctl", "service", "wait", "shift", "getopts", "hash",
		"type", "ulimit", "umask", "alias", "unalias", "shopt", "pwd", "date", "uname", "hostname", "nproc":
		if name == "git" {
			a.git(st, c)
		}
		if name == "shift" && len(st.args) > 0 {
			st.args = st.args[1:]
		}
	default:
		a.program(st, c)
	}
}

// program is a command the analysis does not model: what it prints may
// derive from its arguments and standard input, and a tainted argument may
// end up in a file it is told to write with -o (go build -ldflags, terraform
// plan -out).
func (a *analyzer) program(st *state, c *call) {
	at := c.argTaint() | a.envInCode(st, c)
	a.emit(st, 1, at|st.in, "")
	a.emit(st, 2, at|st.in, "")
	if at == 0 {
		return
	}
	name := path.Base(a.display(c.args[0].s))
	for i := 1; i < len(c.args); i++ {
		s := c.args[i].s
		for _, o := range []string{"-o", "--output", "-out", "--out"} {
			var out string
			switch {
			case s == o && i+1 < len(c.args):
				out = c.args[i+1].s
			case strings.HasPrefix(s, o+"="):
				out = s[len(o)+1:]
			default:
				continue
			}
			if out != "-" && out != "" {
				a.writeFile(st, a.abs(st, out), at, false, c.fact(name+" "+o))
			}
		}
	}
}

// envInCode is the taint of the secret environment variables that inline
// code given to an interpreter names: python -c "print(os.environ['TOKEN'])"
// prints TOKEN.
func (a *analyzer) envInCode(st *state, c *call) taint {
	switch name := path.Base(a.display(c.args[0].s)); {
	case strings.HasPrefix(name, "python"), name == "node", name == "nodejs", name == "deno", name == "bun",
		name == "ruby", name == "perl", name == "php", name == "pwsh", name == "Rscript":
	default:
		return 0
	}
	var t taint
	for _, ar := range c.args[1:] {
		if !strings.ContainsAny(ar.s, " ();.[") {
			continue // not code
		}
		for name, v := range st.vars {
			if v.t != 0 && v.exported && !c.clearEnv && containsIdent(ar.s, name) {
				t |= v.t
			}
		}
		for name, v := range c.env {
			if v.t != 0 && containsIdent(ar.s, name) {
				t |= v.t
			}
		}
	}
	return t
}

// containsIdent reports whether s holds name as a whole identifier.
func containsIdent(s, name string) bool {
	ident := func(b byte) bool {
		return b == '_' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9'
	}
	for i := 0; ; {
		j := strings.Index(s[i:], name)
		if j < 0 {
			return false
		}
		j += i
		end := j + len(name)
		if (j == 0 || !ident(s[j-1])) && (end == len(s) || !ident(s[end])) {
			return true
		}
		i = j + 1
	}
}

// writeFile writes to a path named on a command line, where /dev/stdout and
// the like stand for the command's own output.
func (a *analyzer) writeFile(st *state, p string, t taint, appendMode bool, f fact) {
	switch p {
	case "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1", "-":
		a.emit(st, 1, t, "")
		return
	case "/dev/stderr", "/dev/fd/2", "/proc/self/fd/2":
		a.emit(st, 2, t, "")
		return
	}
	if _, ok := a.outProcs[p]; !ok && (under(p, "/dev") || under(p, "/proc") || under(p, "/sys")) {
		return
	}
	a.write(st, p, t, appendMode, f)
}

func (a *analyzer) mkdir(st *state, p string, f fact) {
	a.dirs[p] = true
	a.event(false, p, f)
}

func (a *analyzer) cd(st *state, p string) {
	st.cwd = p
	a.dirs[p] = true
}

func (a *analyzer) wrapped(st *state, c *call, valued string) {
	o := parseOpts(c.args[1:], valued, true)
	if len(o.ops) > 0 {
		a.run(st, c.with(o.ops))
	}
}

func (a *analyzer) callFunc(st *state, c *call, fn funcDef) {
	if a.depth >= maxDepth {
		a.unsupportedAt(c.fact(""), "function calls nested too deeply: "+c.args[0].s+" not analysed")
		return
	}
	a.depth++
	saved := st.args
	st.args = make([]val, 0, len(c.args)-1)
	for _, ar := range c.args[1:] {
		st.args = append(st.args, ar.val)
	}
	for k, v := range c.env {
		a.setVar(st, k, v, true)
	}
	f := a.push(frameFunc)
	a.stmt(st, fn.u, fn.body)
	a.pop()
	st.set(a.join(append(f.exits, st)...))
	st.args = saved
	a.depth--
}
