package rules

import (
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/tightlip/tightlip/credential"
	"github.com/tightlip/tightlip/model"
	"github.com/tightlip/tightlip/shellflow"
)

// flow is what the TL2xx and TL3xx rules share: every RUN analysed once with shellflow, the role each
// stage plays in the build, and the files in each stage that hold a credential. Pass.flow computes it
// once per Run.
//
// Ownership of findings, so that one fact is reported once:
//
//   - TL201 reports a secret a RUN writes to a file that is still there at the end of the stage.
//   - TL203 reports a credential-storing command (docker login, npm config set, …); the write of its
//     secret input, which shellflow also reports as a leak at the same position, is TL203's.
//   - TL202 reports credential data created by one instruction (a RUN write or store, a credential file
//     a RUN creates, a COPY --from of an image or an ADD from a URL) and removed by a later RUN of the
//     same stage. Copies from the build context are TL120's, heredoc files TL122's.
//   - TL301 reports a COPY --from that carries a file holding a credential into an exported stage.
//
// A stage's role decides the severity: the layers of the final stage and of the stages it is built FROM
// are the image (errors); a stage only built because another one copies from it is a builder whose
// layers are never exported (nothing is reported; TL301 follows the files it hands on); a named stage
// that the default build does not need is exported only with --target (warnings).
type flow struct {
	// runs are the RUNs' analyses by instruction index (nil for other instructions); stages are what
	// the analysis knows about each stage, by stage index. See run and stage.
	runs   []*runFlow
	stages []stageFlow
	// carries are the COPY --from sources that copy files holding a credential, in analysis order.
	carries []*carry
	// origins are all the instructions that put credential data into a file, in analysis order.
	origins []*origin
	// shell analyses the RUNs, reusing its shell parsers from one RUN to the next.
	shell shellflow.Analyzer
}

// add records an origin.
func (fl *flow) add(o *origin) *origin {
	fl.origins = append(fl.origins, o)
	return o
}

// role is what a stage's layers become.
type role int

const (
	// roleUnbuilt: the default build does not need the stage and --target cannot select it.
	roleUnbuilt role = iota
	// roleImage: the layers are the exported image (the final stage and the stages it is built FROM).
	roleImage
	// roleBuilder: built for other stages, which copy or mount from it; its layers are not exported.
	roleBuilder
	// roleTarget: exported only when the build selects a target (stageFlow.target).
	roleTarget
)

// stageFlow is what the analysis knows about one stage.
type stageFlow struct {
	stage  *model.Stage
	role   role
	target *model.Stage // roleTarget: the --target that exports the stage's layers
	// used is set when another stage is built FROM this one, copies or mounts from it.
	used bool
	// held are the files that hold a credential, by absolute path: as the analysis of the stage goes
	// on, then at its end. It is nil until a file is held (see hold).
	held map[string]*origin
	// workdir is the WORKDIR at the end of the stage ("/" when unknown).
	workdir string
	done    bool
	busy    bool
}

// originKind says how a file came to hold a credential.
type originKind int

const (
	originWrite   originKind = iota + 1 // a RUN wrote secret-derived data (shellflow Leak)
	originStore                         // a credential-storing command (shellflow Store)
	originCreated                       // a RUN created a file whose name makes it a credential file
	originContext                       // COPY/ADD of a credential file from the build context (TL120)
	originImage                         // COPY --from an image or ADD from a URL of a credential file
	originStage                         // COPY --from another stage of a file that holds a credential
)

// origin is one instruction putting credential data into a file.
type origin struct {
	kind  originKind
	stage *model.Stage
	inst  *model.Instruction
	rng   parser.Range
	// path is the file written, as the analysis knows it (unknown parts shown as the shell wrote them).
	path string
	// what says what the file holds: "secret npm_token", "npm registry credentials (.npmrc)".
	what string
	// how says what wrote it, as shellflow says it ("redirect", "cp", "environment dump") or the
	// instruction ("COPY").
	how string
	// tool is the Store's tool (originStore).
	tool string
	// cache is set when the file is in a cache mount.
	cache bool
	// maybe is set when the file may or may not hold a credential (judged by its name alone).
	maybe bool
	// from is the file in another stage that a COPY --from copied (originStage).
	from *origin
	// removedBy is the later RUN of the same stage that removed the file.
	removedBy *model.Instruction
}

// line returns the Dockerfile line where the file is created.
func (o *origin) line() int {
	if o.rng.Start.Line > 0 {
		return o.rng.Start.Line
	}
	return o.inst.Range.Start.Line
}

// describe says what the file holds and where it comes from, for messages about other instructions.
func (o *origin) describe() string {
	switch o.kind {
	case originStage:
		return o.from.describe()
	case originStore:
		return o.what + " stored by " + o.tool + " at line " + itoa(o.line()) + stageSuffix(o.stage)
	case originContext, originImage:
		return o.what + " copied by " + o.inst.Keyword + " at line " + itoa(o.line()) + stageSuffix(o.stage)
	case originCreated:
		return o.what + " created by RUN at line " + itoa(o.line()) + stageSuffix(o.stage)
	}
	return o.what + " written by RUN at line " + itoa(o.line()) + stageSuffix(o.stage)
}

func stageSuffix(s *model.Stage) string {
	if s == nil {
		return ""
	}
	return " in stage " + s.String()
}

// runFlow is the shell analysis of one RUN.
type runFlow struct {
	run  *model.Run
	spec shellflow.Spec
	res  *shellflow.Result // nil when the RUN was not analysed
	err  error             // the script does not parse
	// skip says why the RUN was not analysed, when it was not.
	skip string
	// secrets describes each secret the analysis knows, by shellflow's name (path or variable).
	secrets map[string]string
	// hasSecrets is set when the RUN sees a secret mount or a credential build arg.
	hasSecrets bool
	// writes are the secret writes still in the layer (or cache) at the end of the RUN, one per position
	// and file; stores are the credential stores not taken back in the RUN. Writes that are a store's
	// are not in writes.
	writes, stores []*origin
}

// flow returns the shared shell and stage analysis, computing it on first use.
func (p *Pass) flow() *flow {
	sh := p.shared
	if sh.flow == nil {
		sh.flow = newFlow(p)
	}
	return sh.flow
}

func newFlow(p *Pass) *flow {
	fl := &flow{
		runs:   make([]*runFlow, len(p.File.Instructions)),
		stages: make([]stageFlow, len(p.File.Stages)),
	}
	for i, s := range p.File.Stages {
		fl.stages[i].stage = s
	}
	fl.assignRoles(p.File)
	for _, s := range p.File.Stages {
		if fl.stage(s).role != roleUnbuilt {
			fl.analyseStage(p, s)
		}
	}
	return fl
}

// stage returns what the analysis knows about s.
func (fl *flow) stage(s *model.Stage) *stageFlow { return &fl.stages[s.Index] }

// run returns the analysis of r, or nil when its stage is not built.
func (fl *flow) run(r *model.Run) *runFlow { return fl.runs[r.Inst.Index] }

// assignRoles computes each stage's role from the stage graph.
func (fl *flow) assignRoles(f *model.File) {
	deps := make([][]*model.Stage, len(f.Stages)) // by stage index
	for _, e := range f.Edges {
		if e.From != nil && e.To != nil && e.From != e.To {
			deps[e.To.Index] = append(deps[e.To.Index], e.From)
			fl.stage(e.From).used = true
		}
	}
	// reach marks every stage that building s needs, with role r for s's FROM chain and roleBuilder for
	// the others, without changing roles already assigned.
	var reach func(s *model.Stage, r role, target *model.Stage)
	reach = func(s *model.Stage, r role, target *model.Stage) {
		for c := s; c != nil; c = c.BaseStage {
			sf := fl.stage(c)
			if sf.role != roleUnbuilt {
				break
			}
			sf.role, sf.target = r, target
		}
		for c := s; c != nil; c = c.BaseStage {
			for _, d := range deps[c.Index] {
				if d == c.BaseStage {
					continue
				}
				if fl.stage(d).role == roleUnbuilt {
					reach(d, roleBuilder, nil)
				}
			}
			if c.BaseStage != nil && fl.stage(c.BaseStage).role != fl.stage(c).role {
				break
			}
		}
	}
	if final := f.Target(""); final != nil {
		reach(final, roleImage, nil)
	}
	// Stages that --target can select: first those no other stage needs, so that the stages they need
	// are their builders.
	for _, leaf := range []bool{true, false} {
		for _, s := range f.Stages {
			if sf := fl.stage(s); s.Name != "" && sf.role == roleUnbuilt && sf.used != leaf {
				reach(s, roleTarget, s)
			}
		}
	}
}

// analyseStage runs the shell analysis of the stage's RUNs and follows the files that hold credentials,
// after the stages it depends on.
func (fl *flow) analyseStage(p *Pass, s *model.Stage) *stageFlow {
	sf := fl.stage(s)
	if sf.done || sf.busy {
		return sf
	}
	sf.busy = true
	defer func() { sf.busy, sf.done = false, true }()
	sf.workdir = "/"
	if s.BaseStage != nil {
		base := fl.analyseStage(p, s.BaseStage)
		sf.held = maps.Clone(base.held)
		sf.workdir = base.workdir
	}
	for i, in := range s.Instructions {
		switch {
		case in.Run != nil:
			fl.analyseRun(p, sf, in.Run)
			if in.Run.Workdir != "" {
				sf.workdir = in.Run.Workdir
			}
		case in.Copy != nil:
			fl.copyInto(p, sf, in.Copy)
		case in.Keyword == "WORKDIR":
			sf.workdir = nextWorkdir(s.Instructions[i+1:], in, sf.workdir)
		}
	}
	return sf
}

// hold records that the file p holds the credential data of o.
func (sf *stageFlow) hold(p string, o *origin) {
	if sf.held == nil {
		sf.held = make(map[string]*origin)
	}
	sf.held[p] = o
}

// nextWorkdir returns the WORKDIR in effect after the WORKDIR instruction in: what the next RUN of the
// stage sees (the model expands it), or the instruction's path resolved against dir.
func nextWorkdir(rest []*model.Instruction, in *model.Instruction, dir string) string {
	for _, next := range rest {
		if next.Keyword == "WORKDIR" {
			break
		}
		if next.Run != nil && next.Run.Workdir != "" {
			return next.Run.Workdir
		}
	}
	c, ok := in.Command.(*instructions.WorkdirCommand)
	if !ok {
		return dir
	}
	if path.IsAbs(c.Path) {
		return path.Clean(c.Path)
	}
	return path.Join(dir, c.Path)
}

// isPosixShell reports whether a SHELL runs POSIX shell scripts.
func isPosixShell(shell []string) bool {
	if len(shell) == 0 {
		return true
	}
	name := strings.ToLower(path.Base(strings.ReplaceAll(shell[0], `\`, "/")))
	name = strings.TrimSuffix(name, ".exe")
	switch name {
	case "sh", "bash", "ash", "dash", "zsh", "ksh", "mksh", "busybox":
		return true
	}
	return false
}

// homeOf returns the home directory of a USER: /root for root, /home/<name> for a named user (with a
// few well-known exceptions), "" (shellflow then assumes /root) for a numeric user.
func homeOf(user string) string {
	name, _, _ := strings.Cut(user, ":")
	switch name {
	case "", "root", "0":
		return "/root"
	case "nobody":
		return "/nonexistent"
	case "www-data":
		return "/var/www"
	}
	if strings.Trim(name, "0123456789") == "" || strings.Contains(name, "$") {
		return ""
	}
	return "/home/" + name
}

// secretMountID returns the id of a secret mount as BuildKit computes it.
func secretMountID(m *instructions.Mount) string {
	switch {
	case m.CacheID != "":
		return m.CacheID
	case m.Source != "":
		return m.Source
	}
	return path.Base(m.Target)
}

// maxHeldSecrets bounds the files held from earlier instructions that one RUN's analysis follows.
const maxHeldSecrets = 32

// buildSpec describes a RUN to shellflow: its secret mounts and credential build args as secrets,
// tmpfs, secret, SSH and bind mounts as ephemeral, cache mounts, the files earlier instructions left
// holding credentials (and files mounted from other stages that hold them) as secret files.
func (fl *flow) buildSpec(p *Pass, sf *stageFlow, r *model.Run) (shellflow.Spec, map[string]string, bool) {
	spec := shellflow.Spec{Workdir: r.Workdir, Home: homeOf(r.User), Stores: p.Config.Stores}
	if r.Exec {
		spec.Exec = r.Args
	} else if r.Script != nil {
		spec.Script = r.Script.String()
	}
	var secrets map[string]string // nil until a secret is known: most RUNs see none
	addSecret := func(name, desc string) {
		if secrets == nil {
			secrets = make(map[string]string)
		}
		secrets[name] = desc
	}
	hasSecrets := false
	for _, m := range r.Mounts {
		switch m.Type {
		case instructions.MountTypeSecret:
			hasSecrets = true
			id := secretMountID(m)
			target := m.Target
			if target == "" && m.Env == nil {
				target = "/run/secrets/" + path.Base(id)
			}
			if target != "" {
				t := absIn(target, r.Workdir)
				spec.SecretFiles = append(spec.SecretFiles, t)
				addSecret(t, "secret "+id)
			}
			if m.Env != nil && *m.Env != "" {
				spec.SecretEnv = append(spec.SecretEnv, *m.Env)
				addSecret(*m.Env, "secret "+id)
			}
		case instructions.MountTypeCache:
			if m.Target != "" {
				spec.Cache = append(spec.Cache, m.Target)
			}
		case instructions.MountTypeTmpfs, instructions.MountTypeSSH, instructions.MountTypeBind:
			if m.Target != "" {
				spec.Ephemeral = append(spec.Ephemeral, m.Target)
			}
			if m.Type == instructions.MountTypeBind && m.From != "" {
				fl.mountedSecrets(p, sf, r, m, &spec, addSecret)
			}
		}
	}
	for _, v := range r.Scope {
		if _, ok := secrets[v.Name]; !ok && isSecretArg(p.Config, v) {
			hasSecrets = true
			spec.SecretEnv = append(spec.SecretEnv, v.Name)
			addSecret(v.Name, "build arg "+v.Name)
		}
	}
	// Files that earlier instructions left holding a credential: what a RUN derives from them leaks too.
	n := 0
	for _, k := range sortedKeys(sf.held) {
		o := sf.held[k]
		if n == maxHeldSecrets || o.cache || strings.Contains(k, "$") {
			continue
		}
		if _, ok := secrets[k]; ok {
			continue
		}
		n++
		spec.SecretFiles = append(spec.SecretFiles, k)
		addSecret(k, k+" ("+o.describe()+")")
	}
	return spec, secrets, hasSecrets
}

// envOf returns the values of the variables a RUN sees that are not secrets, for shellflow to resolve
// paths with. Values that refer to variables the Dockerfile does not set are left out.
func envOf(r *model.Run, secrets map[string]string) map[string]string {
	env := make(map[string]string, len(r.Scope))
	for _, v := range r.Scope {
		if _, ok := secrets[v.Name]; ok {
			continue
		}
		if (v.HasValue || v.Global != nil) && !strings.Contains(v.Value, "$") {
			env[v.Name] = v.Value
		}
	}
	return env
}

// mountedSecrets adds the files of a --mount=from=<stage> bind mount that hold a credential in that
// stage as secret files.
func (fl *flow) mountedSecrets(p *Pass, sf *stageFlow, r *model.Run, m *instructions.Mount, spec *shellflow.Spec, addSecret func(name, desc string)) {
	var from *model.Stage
	for _, e := range p.File.Edges {
		if e.Kind == model.EdgeMount && e.Mount == m {
			from = e.From
		}
	}
	if from == nil || from == sf.stage {
		return
	}
	src := fl.analyseStage(p, from)
	root := path.Clean("/" + m.Source)
	target := absIn(m.Target, r.Workdir)
	for _, k := range sortedKeys(src.held) {
		rel, ok := under(k, root)
		if !ok || src.held[k].cache {
			continue
		}
		t := path.Join(target, rel)
		spec.SecretFiles = append(spec.SecretFiles, t)
		addSecret(t, t+" (mounted from stage "+from.String()+": "+src.held[k].describe()+")")
	}
}

// isSecretArg reports whether a variable in a RUN's scope is a build argument holding a credential: a
// credential name, and no default that is a placeholder or a path.
func isSecretArg(c *Config, v *model.Var) bool {
	if v.Kind != model.Arg || !c.isName(v.Name) {
		return false
	}
	if v.HasValue && len(v.Refs) == 0 {
		lit := strings.TrimSpace(v.Literal)
		if credential.IsPlaceholder(lit) || isPath(lit) {
			return false
		}
	}
	return true
}

// absIn makes a mount target absolute against the working directory.
func absIn(p, wd string) string {
	if path.IsAbs(p) {
		return path.Clean(p)
	}
	return path.Join("/", wd, p)
}

// under reports whether p is root or inside it, and returns p relative to root.
func under(p, root string) (string, bool) {
	if p == root {
		return "", true
	}
	if root == "/" {
		return strings.TrimPrefix(p, "/"), strings.HasPrefix(p, "/")
	}
	if rest, ok := strings.CutPrefix(p, root+"/"); ok {
		return rest, true
	}
	return "", false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// exposure says what becomes of credential data left in a stage's layers: the severity of a finding
// and where the data stays. ok is false when nothing is to be reported: the layers of a builder stage
// are not exported (TL301 follows what is copied from it), a stage the build never needs is not built.
func (fl *flow) exposure(s *model.Stage) (sev Severity, where string, ok bool) {
	sf := fl.stage(s)
	switch sf.role {
	case roleImage:
		return Error, "the image layer", true
	case roleTarget:
		if sf.target == s {
			return Warning, "the layer of stage " + s.String() + " (exported when built with --target " + s.String() + ")", true
		}
		return Warning, "the layer of stage " + s.String() + " (exported with --target " + sf.target.String() + ")", true
	}
	return 0, "", false
}

// built reports whether the build runs the stage (by default or with a --target).
func (fl *flow) built(s *model.Stage) bool { return fl.stage(s).role != roleUnbuilt }

// eachRun calls fn for every analysed RUN of the stages a build can produce, with the stage's exposure.
func (fl *flow) eachRun(stages []*model.Stage, fn func(rf *runFlow, sev Severity, where string, exported bool)) {
	for _, st := range stages {
		if !fl.built(st) {
			continue
		}
		sev, where, exported := fl.exposure(st)
		for _, r := range st.Runs {
			if rf := fl.run(r); rf != nil {
				fn(rf, sev, where, exported)
			}
		}
	}
}

// byHow says what wrote a file, for messages: "a redirect", "cp".
func byHow(how string) string {
	switch how {
	case "redirect":
		return "a redirect"
	case "environment dump":
		return "an environment dump"
	case "":
		return "the command"
	}
	return how
}

// redact masks credentials of known formats in a message built from Dockerfile text (paths, commands),
// so that a credential written in the Dockerfile, which TL110 reports, is not repeated elsewhere.
func redact(msg string) string {
	ms := credential.Find(msg)
	for i := len(ms) - 1; i >= 0; i-- {
		msg = msg[:ms[i].Start] + ms[i].Masked + msg[ms[i].End:]
	}
	return msg
}
