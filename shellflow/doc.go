// Package shellflow follows secret data through the shell body of one
// Dockerfile RUN instruction.
//
// Analyze parses the body with mvdan.cc/sh/v3/syntax (bash, falling back to
// POSIX sh) and runs a flow-sensitive taint analysis over the syntax tree. It
// needs no daemon and reads no file: it knows secrets only by their file
// paths (Spec.SecretFiles) and variable names (Spec.SecretEnv), so nothing it
// reports can contain a secret value. Every fact carries a position in the
// script and the command text, for messages.
//
// # What it reports
//
//   - Leaks: secret-derived data written to a file that outlives the RUN, or
//     to a cache mount (Leak.Cache).
//   - Created and Removed: every file the RUN creates, writes or removes,
//     secret or not.
//   - Stores: commands that keep a credential on disk (docker login, npm
//     config set //…:_authToken, git config credential.helper store, …; the
//     table is in stores.go), and whether the RUN takes the file back.
//   - Unsupported and Notes: constructs that were not analysed, and
//     assumptions (such as ~ being /root).
//
// # The model
//
// A value is tainted by the secrets it derives from. Reading a secret file
// (cat, head, <file, $(< file), cp, tar, base64, openssl -in, dd if=, …),
// expanding a secret variable, or reading a file this RUN wrote with tainted
// data taints the output; assignments, export, read, pipelines, command and
// process substitution, heredocs and nested scripts carry taint on. Passing a
// tainted value to a program as an argument or in its environment is the
// intended use of a secret and is not a leak (curl -H "Authorization: …",
// npm ci with NPM_TOKEN set); what the program prints is taken to derive
// from its arguments and standard input, except for programs known to print
// something else (package managers, curl, git, docker, …).
//
// A write is pending until the end of the RUN. It is undone when the same
// file (or a directory above it) is removed, overwritten or moved away on
// every path through the rest of the script, EXIT traps included. a && b is
// analysed as a sequence, since the layer is only kept when the RUN
// succeeds; the right side of ||, the branches of if and case, and loop
// bodies may not run, so removals there do not count, while taint from any
// of them does. exit with a non-zero status ends a path that leaves nothing
// behind. Writes under Spec.Ephemeral, /dev, /proc and /sys are not leaks.
//
// Paths are resolved against Spec.Workdir and cd. Text that is not known
// statically (an unset variable, $(mktemp -d)) is kept as a symbol, so that
// echo $T > "$D/x" and rm -rf "$D" still refer to the same directory; in
// results a symbol is shown as the shell text it stands for.
//
// # Limits
//
//   - Programs are opaque: a program that reads a secret from its
//     environment and writes it to a file it chooses is not seen, except for
//     inline interpreter code that names the variable (python -c, node -e)
//     and tainted builds with -o/-out (go build -ldflags, terraform plan).
//   - Loops are analysed twice, not to a fixed point; literal for-loop items
//     are analysed one by one.
//   - The last element of a pipeline runs in the current shell, as with
//     bash's lastpipe; local variables are global.
//   - Text that a script builds and then runs (eval "$CMD", sh -c "$SCRIPT")
//     is reported in Unsupported. Expansions inside otherwise literal
//     nested scripts (bash -c "echo $TOKEN > f") are analysed as opaque
//     words; positions inside double-quoted nested scripts may be a few
//     columns off.
//   - Symlinks are not followed; writes through a symlink are attributed to
//     the link's path.
//   - A logout (docker logout, npm logout) takes back every store of its
//     tool in the same file, whatever registry it was for.
//   - The analysis stops after 20000 statements (Unsupported says so).
package shellflow
