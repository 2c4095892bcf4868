package verify

import (
	"strconv"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// BenchmarkImage reads an image of 48 MiB: 2000 small text files, a 16 MiB log and a 16 MiB binary,
// with two known values to search for.
func BenchmarkImage(b *testing.B) {
	var entries []entry
	line := "2026-01-02T03:04:05Z INFO request served path=/api/v1/items status=200 duration=3ms\n"
	for i := range 2000 {
		entries = append(entries, file("srv/app/f"+strconv.Itoa(i)+".js", strings.Repeat("export const x = require('./y');\n", 250)))
	}
	entries = append(entries,
		file("var/log/app.log", strings.Repeat(line, 16<<20/len(line))),
		file("usr/bin/app", "\x7fELF\x00"+strings.Repeat("\x00\x01binary\x02", 16<<20/10)),
	)
	img := build(b, v1.Config{}, run("COPY . /", entries...))
	opts := Options{Secrets: []Secret{{Name: "A", Value: "0123456789abcdefghij"}, {Name: "B", Value: "klmnopqrstuvwxyz0123"}}}
	var size int64
	for b.Loop() {
		r, err := Image(b.Context(), img, opts)
		if err != nil {
			b.Fatal(err)
		}
		size = r.Bytes
	}
	b.SetBytes(size)
}
