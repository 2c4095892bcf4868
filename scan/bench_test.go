package scan

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// benchSize is the size of the data searched per call: Reader's piece size.
const benchSize = 1 << 20

// benchSecrets returns n values like the ones builds mount: tokens, keys, passwords; the first is
// as short as the default minimum length allows, which makes the search's step the smallest.
func benchSecrets(n int) []Secret {
	r := rand.New(rand.NewPCG(7, 8))
	const (
		alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
		b64   = alnum + "+/"
		hexd  = "0123456789abcdef"
		pass  = alnum + "!#$%&()*+,-./:;<=>?@[]^_{|}~\""
	)
	word := func(alphabet string, n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		return string(b)
	}
	kinds := []func() string{
		func() string { return word(pass, 8) },
		func() string { return "ghp_" + word(alnum, 36) },
		func() string { return word(b64, 40) },
		func() string { return word(hexd, 32) },
		func() string { return word(pass, 16) },
		func() string { return "AKIA" + word(alnum[26:36], 16) },
		func() string { return "xoxb-" + word(hexd[:10], 12) + "-" + word(alnum, 24) },
		func() string { return word(alnum, 12) },
	}
	var out []Secret
	for i := range n {
		out = append(out, Secret{ID: fmt.Sprint("S", i), Value: []byte(kinds[i%len(kinds)]())})
	}
	return out
}

// benchData returns benchSize bytes of realistic data of each kind.
func benchData(b *testing.B) map[string][]byte {
	r := rand.New(rand.NewPCG(9, 10))
	fill := func(gen func(w *bytes.Buffer)) []byte {
		var w bytes.Buffer
		for w.Len() < benchSize {
			gen(&w)
		}
		return w.Bytes()[:benchSize]
	}
	words := strings.Fields("the of and to in is that it for was on are as with his they at be this from have or by one had not but what all were when we there can an your which their said if do will each about how up out them then she many some so these would other into has more her two like him see time could no make than first been its who now people my made over did down only way find use may water long little very after words called just where most know")
	data := map[string][]byte{
		"text": fill(func(w *bytes.Buffer) {
			for i := range 12 + r.IntN(10) {
				if i > 0 {
					w.WriteByte(' ')
				}
				w.WriteString(words[r.IntN(len(words))])
			}
			w.WriteString(".\n")
		}),
		"log": fill(func(w *bytes.Buffer) {
			fmt.Fprintf(w, "2026-01-%02dT%02d:%02d:%02d.%03dZ INFO request id=%016x path=/api/v1/items/%d status=%d duration=%dms remote=10.%d.%d.%d\n",
				1+r.IntN(28), r.IntN(24), r.IntN(60), r.IntN(60), r.IntN(1000), r.Uint64(), r.IntN(100000), []int{200, 201, 404, 500}[r.IntN(4)], r.IntN(900), r.IntN(256), r.IntN(256), r.IntN(256))
		}),
		"random": fill(func(w *bytes.Buffer) {
			var b [8]byte
			for i := range b {
				b[i] = byte(r.Uint32())
			}
			w.Write(b[:])
		}),
		"zeros": make([]byte, benchSize),
	}
	// Go source and a binary: the standard library's and the test binary.
	var src bytes.Buffer
	files, _ := filepath.Glob(filepath.Join(runtime.GOROOT(), "src", "net", "http", "*.go"))
	for _, f := range files {
		if src.Len() >= benchSize {
			break
		}
		b, err := os.ReadFile(f)
		if err == nil {
			src.Write(b)
		}
	}
	if src.Len() < benchSize {
		b.Fatalf("only %d bytes of Go source", src.Len())
	}
	data["source"] = src.Bytes()[:benchSize]
	exe, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	bin, err := os.ReadFile(exe)
	if err != nil || len(bin) < benchSize {
		b.Fatalf("reading the test binary: %d bytes, %v", len(bin), err)
	}
	data["binary"] = bin[:benchSize]
	return data
}

// adversarial returns data made to pass the search's filters: the needles' beginnings repeated (all
// but their last byte), and one byte repeated for values made of that byte.
func adversarial(s *Scanner) []byte {
	var w bytes.Buffer
	for w.Len() < benchSize {
		for _, n := range s.needles {
			w.Write(n.text[:len(n.text)-1])
		}
	}
	return w.Bytes()[:benchSize]
}

func BenchmarkScan(b *testing.B) {
	data := benchData(b)
	kinds := []string{"text", "source", "log", "binary", "random", "zeros"}
	for _, n := range []int{1, 8, 32} {
		s, _ := New(benchSecrets(n), Options{})
		for _, kind := range kinds {
			b.Run(fmt.Sprintf("secrets=%d/%s", n, kind), func(b *testing.B) {
				benchScan(b, s, data[kind])
			})
		}
		b.Run(fmt.Sprintf("secrets=%d/adversarial-prefixes", n), func(b *testing.B) {
			benchScan(b, s, adversarial(s))
		})
	}
	// Values that are runs of one byte, in data of that byte.
	var runs []Secret
	for i := range 32 {
		runs = append(runs, Secret{ID: fmt.Sprint("R", i), Value: append(bytes.Repeat([]byte{'a'}, 8+i), 'b')})
	}
	s, _ := New(runs, Options{})
	b.Run("secrets=32/adversarial-one-byte", func(b *testing.B) {
		benchScan(b, s, bytes.Repeat([]byte{'a'}, benchSize))
	})
}

func benchScan(b *testing.B, s *Scanner, data []byte) {
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		s.Scan(data)
	}
}
