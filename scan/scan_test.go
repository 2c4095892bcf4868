package scan

import (
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"slices"
	"strings"
	"testing"
)

func TestEncodings(t *testing.T) {
	v := "s3cr3t/v4lue+with??>>??chars<&>"
	s, skipped := New([]Secret{{ID: "A", Value: []byte(v)}, {ID: "short", Value: []byte("abc")}, {ID: "empty"}}, Options{})
	if want := []Skipped{{"short", 3}, {"empty", 0}}; !slices.Equal(skipped, want) {
		t.Errorf("skipped %v, want %v", skipped, want)
	}
	for enc, text := range map[string]string{
		Raw:         "x " + v + " y",
		Base64:      base64.StdEncoding.EncodeToString([]byte("user:" + v)),
		Base64URL:   base64.URLEncoding.EncodeToString([]byte("u:" + v + "\n")),
		URLEncoded:  "https://example.net/?t=" + url.QueryEscape(v),
		Hex:         strings.ToUpper(hex.EncodeToString([]byte("-" + v))),
		JSONEscaped: `{"password":"s3cr3t/v4lue+with??\u003e\u003e??chars\u003c\u0026\u003e"}`,
	} {
		got := s.Scan([]byte(text))
		if len(got) != 1 || got[0].ID != "A" || got[0].Encoding != enc {
			t.Errorf("%s: %v", enc, got)
		}
		b := []byte(text)
		s.Mask(b)
		if strings.Contains(string(b), v) || len(s.Scan(b)) != 0 {
			t.Errorf("%s: not masked: %q", enc, b)
		}
	}
}

func TestEmpty(t *testing.T) {
	s, _ := New(nil, Options{})
	if !s.Empty() || s.Scan([]byte("data")) != nil {
		t.Error("an empty scanner matches")
	}
	m, n, err := s.Reader(strings.NewReader("data"))
	if m != nil || n != 4 || err != nil {
		t.Errorf("Reader: %v %d %v", m, n, err)
	}
}

func TestBase64Inner(t *testing.T) {
	v := []byte("0123456789abcdefg")
	for align := range 3 {
		inner := string(base64Inner(base64.StdEncoding, v, align))
		for pre := range 6 {
			for post := range 3 {
				data := strings.Repeat("p", pre) + string(v) + strings.Repeat("q", post)
				if pre%3 == align && !strings.Contains(base64.StdEncoding.EncodeToString([]byte(data)), inner) {
					t.Errorf("align %d, %d bytes before: %q is not in the encoding", align, pre, inner)
				}
			}
		}
	}
}
