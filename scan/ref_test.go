package scan

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"testing/iotest"
)

// reference returns what Scan returns, searching for one encoding at a time.
func reference(secrets []Secret, opt Options, data []byte) []Match {
	minLen := opt.MinLength
	if minLen <= 0 {
		minLen = DefaultMinLength
	}
	type found struct {
		m            Match
		secret, rank int
	}
	var all []found
	for si, s := range secrets {
		if len(s.Value) < minLen {
			continue
		}
		seen := map[string]bool{}
		first := map[string]int{} // by encoding: index into all
		for rank, e := range encodings(s.Value) {
			if len(e.text) < max(1, minLen/2) || seen[string(e.text)] {
				continue
			}
			seen[string(e.text)] = true
			at := bytes.Index(data, e.text)
			if at < 0 {
				continue
			}
			if k, ok := first[e.encoding]; ok {
				if int64(at) < all[k].m.Offset {
					all[k].m.Offset = int64(at)
				}
				continue
			}
			first[e.encoding] = len(all)
			all = append(all, found{Match{ID: s.ID, Encoding: e.encoding, Offset: int64(at)}, si, rank})
		}
	}
	// Encodings are ranked by their first appearance in New's order.
	rank := map[string]int{}
	for _, e := range []string{Raw, Base64, Base64URL, URLEncoded, Hex, JSONEscaped} {
		rank[e] = len(rank)
	}
	slices.SortFunc(all, func(a, b found) int {
		if a.m.Offset != b.m.Offset {
			return int(a.m.Offset - b.m.Offset)
		}
		if a.secret != b.secret {
			return a.secret - b.secret
		}
		return rank[a.m.Encoding] - rank[b.m.Encoding]
	})
	var out []Match
	for _, f := range all {
		out = append(out, f.m)
	}
	return out
}

// referenceMask returns b masked as Mask masks it.
func referenceMask(secrets []Secret, opt Options, b []byte) []byte {
	minLen := opt.MinLength
	if minLen <= 0 {
		minLen = DefaultMinLength
	}
	out := bytes.Clone(b)
	for _, s := range secrets {
		if len(s.Value) < minLen {
			continue
		}
		for _, e := range encodings(s.Value) {
			if len(e.text) < max(1, minLen/2) {
				continue
			}
			for off := 0; ; off++ {
				i := bytes.Index(b[off:], e.text)
				if i < 0 {
					break
				}
				off += i
				for k := off; k < off+len(e.text); k++ {
					out[k] = '*'
				}
			}
		}
	}
	return out
}

// check compares Scan, Reader (in small pieces) and Mask with the references.
func check(t *testing.T, secrets []Secret, opt Options, data []byte, chunks ...int) {
	t.Helper()
	s, _ := New(secrets, opt)
	want := reference(secrets, opt, data)
	if got := s.Scan(data); !slices.Equal(got, want) {
		t.Fatalf("Scan = %v, want %v", got, want)
	}
	for _, chunk := range chunks {
		for _, oneByte := range []bool{false, true} {
			r := bytes.NewReader(data)
			var rd = iotest.HalfReader(r)
			if oneByte {
				rd = iotest.OneByteReader(r)
			}
			got, n, err := s.reader(rd, chunk)
			if err != nil || n != int64(len(data)) {
				t.Fatalf("reader(%d): %d bytes, %v", chunk, n, err)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("reader(%d) = %v, want %v", chunk, got, want)
			}
		}
	}
	b := bytes.Clone(data)
	s.Mask(b)
	if wantMask := referenceMask(secrets, opt, data); !bytes.Equal(b, wantMask) {
		t.Fatalf("Mask = %q, want %q", b, wantMask)
	}
}

// randomSecrets returns n values of lengths from minLen to minLen+40, from the alphabet.
func randomSecrets(r *rand.Rand, n, minLen int, alphabet string) []Secret {
	var out []Secret
	for i := range n {
		v := make([]byte, minLen+r.IntN(41))
		for k := range v {
			v[k] = alphabet[r.IntN(len(alphabet))]
		}
		out = append(out, Secret{ID: fmt.Sprint("S", i), Value: v})
	}
	return out
}

// plant returns random data of the alphabet with encodings of the secrets at random offsets.
func plant(r *rand.Rand, secrets []Secret, size, count int, alphabet string) []byte {
	data := make([]byte, size)
	for k := range data {
		data[k] = alphabet[r.IntN(len(alphabet))]
	}
	for range count {
		s := secrets[r.IntN(len(secrets))]
		es := encodings(s.Value)
		text := es[r.IntN(len(es))].text
		if len(text) > len(data) {
			continue
		}
		copy(data[r.IntN(len(data)-len(text)+1):], text)
	}
	return data
}

func TestAgainstReference(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const printable = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/=-_%\"<>&\\ :\n"
	for _, alphabet := range []string{printable, "ab", "a+/=", "\x00\x01\xff\"<"} {
		for _, n := range []int{1, 2, 8, 32} {
			for _, minLen := range []int{0, 1, 3, 4, 5, 8, 12, 40} {
				for trial := range 4 {
					secrets := randomSecrets(r, n, max(minLen, 1)+r.IntN(3), alphabet)
					data := plant(r, secrets, r.IntN(3000), 1+r.IntN(20), printable+alphabet)
					opt := Options{MinLength: minLen}
					t.Run(fmt.Sprintf("%q/%d/%d/%d", alphabet, n, minLen, trial), func(t *testing.T) {
						check(t, secrets, opt, data, 1, 7, 64, 1000)
					})
				}
			}
		}
	}
}

// Needles planted across the pieces' boundaries are found once, at their first place.
func TestReaderBoundaries(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	secrets := randomSecrets(r, 8, 8, "abcdefghijklmnopqrstuvwxyz0123456789")
	s, _ := New(secrets, Options{})
	const chunk = 64
	for _, sec := range secrets {
		for _, e := range encodings(sec.Value) {
			for cut := 1; cut < len(e.text); cut++ {
				for _, boundary := range []int{chunk, 2*chunk + s.MaxLen() - 1, 5 * chunk} {
					data := bytes.Repeat([]byte{'.'}, 12*chunk)
					at := boundary - cut
					if at < 0 {
						continue
					}
					copy(data[at:], e.text)
					copy(data[at+3*chunk:], e.text)
					want := reference(secrets, Options{}, data)
					got, _, err := s.reader(bytes.NewReader(data), chunk)
					if err != nil || !slices.Equal(got, want) {
						t.Fatalf("%s cut at %d: %v, %v; want %v", e.encoding, cut, got, err, want)
					}
				}
			}
		}
	}
}

func FuzzScan(f *testing.F) {
	f.Add([]byte("the value s3cr3tv4lue is here, czNjcjN0djRsdWU= too"), []byte("s3cr3tv4lue"), []byte("other-value"), uint8(0), uint8(7))
	f.Add([]byte("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"), []byte("aaaaaaab"), []byte("aaaa"), uint8(4), uint8(3))
	f.Fuzz(func(t *testing.T, data, a, b []byte, minLen, chunk uint8) {
		secrets := []Secret{{ID: "a", Value: a}, {ID: "b", Value: b}}
		check(t, secrets, Options{MinLength: int(minLen % 24)}, data, 1+int(chunk%64))
	})
}
