package verify

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
)

// MinSecretLen is the shortest known value Image searches for: shorter values would match by chance.
const MinSecretLen = 8

// Secret is a value known to be a credential, searched for in the image and never reported.
type Secret struct {
	// Name says where the value came from ("NPM_TOKEN", "file .npmrc"); findings show it.
	Name string
	// Value is the credential.
	Value string
}

// needle is one encoding of a secret, as it would appear in the image.
type needle struct {
	secret   int // index into the secrets
	encoding string
	text     []byte
}

// needles returns the encodings of the secrets to search for, without duplicates. Base64 is taken at
// each of the three alignments a value can have inside a longer encoded text ("user:token" in a Docker
// config's "auth"), keeping only the characters that depend on the value alone.
func needles(secrets []Secret) ([]needle, error) {
	var out []needle
	seen := map[string]bool{}
	add := func(i int, encoding, text string) {
		if len(text) < MinSecretLen/2 || seen[text] {
			return
		}
		seen[text] = true
		out = append(out, needle{secret: i, encoding: encoding, text: []byte(text)})
	}
	for i, s := range secrets {
		if len(s.Value) < MinSecretLen {
			return nil, fmt.Errorf("secret %s is %d bytes long: values shorter than %d bytes are not searched for", s.Name, len(s.Value), MinSecretLen)
		}
		v := s.Value
		add(i, "raw", v)
		for align := 0; align < 3; align++ {
			add(i, "base64", base64Inner(base64.StdEncoding, v, align))
			add(i, "base64url", base64Inner(base64.URLEncoding, v, align))
		}
		add(i, "URL-encoded", url.QueryEscape(v))
		add(i, "URL-encoded", url.PathEscape(v))
		add(i, "hex", hex.EncodeToString([]byte(v)))
		add(i, "hex", strings.ToUpper(hex.EncodeToString([]byte(v))))
		for _, html := range []bool{false, true} {
			var b bytes.Buffer
			enc := json.NewEncoder(&b)
			enc.SetEscapeHTML(html)
			if enc.Encode(v) == nil {
				j := bytes.TrimSpace(b.Bytes())
				add(i, "JSON-escaped", string(j[1:len(j)-1]))
			}
		}
	}
	return out, nil
}

// base64Inner returns the characters of the base64 encoding of v, placed after align bytes of other
// data, that depend on v alone.
func base64Inner(enc *base64.Encoding, v string, align int) string {
	full := enc.EncodeToString(append(make([]byte, align), v...))
	// Character j covers bits [6j, 6j+6); v covers bits [8·align, 8·(align+len)).
	first := (8*align + 5) / 6
	last := (8*(align+len(v)) - 6) / 6 // inclusive
	if last < first || last >= len(full) {
		return ""
	}
	return full[first : last+1]
}

// maxNeedle returns the length of the longest needle.
func maxNeedle(ns []needle) int {
	n := 0
	for _, nd := range ns {
		n = max(n, len(nd.text))
	}
	return n
}

// knownIn returns, for each secret found in s, the first needle that matched (in needle order).
func knownIn(ns []needle, s string) []needle {
	var out []needle
	found := map[int]bool{}
	for _, nd := range ns {
		if !found[nd.secret] && strings.Contains(s, string(nd.text)) {
			found[nd.secret] = true
			out = append(out, nd)
		}
	}
	return out
}

// maskNeedles replaces every occurrence of a needle in b with asterisks.
func maskNeedles(ns []needle, b []byte) {
	for _, nd := range ns {
		for off := 0; ; {
			i := bytes.Index(b[off:], nd.text)
			if i < 0 {
				break
			}
			for k := off + i; k < off+i+len(nd.text); k++ {
				b[k] = '*'
			}
			off += i + len(nd.text)
		}
	}
}
