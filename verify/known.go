package verify

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/tightlip/tightlip/scan"
)

// MinSecretLen is the shortest known value Image searches for: shorter values would match by chance.
const MinSecretLen = scan.DefaultMinLength

// Secret is a value known to be a credential, searched for in the image and never reported.
type Secret struct {
	// Name says where the value came from ("NPM_TOKEN", "file .npmrc"); findings show it.
	Name string
	// Value is the credential.
	Value string
}

// newScanner returns the scanner for the secrets' values; each is named by its index in secrets.
func newScanner(secrets []Secret) (*scan.Scanner, error) {
	values := make([]scan.Secret, len(secrets))
	for i, s := range secrets {
		values[i] = scan.Secret{ID: strconv.Itoa(i), Value: []byte(s.Value)}
	}
	sc, skipped := scan.New(values, scan.Options{MinLength: MinSecretLen})
	if len(skipped) > 0 {
		s := secrets[secretIndex(skipped[0].ID)]
		return nil, fmt.Errorf("secret %s is %d bytes long: values shorter than %d bytes are not searched for", s.Name, len(s.Value), MinSecretLen)
	}
	return sc, nil
}

func secretIndex(id string) int {
	i, _ := strconv.Atoi(id)
	return i
}

// knownMatch is the first place of one secret.
type knownMatch struct {
	secret   int // index into the secrets
	encoding string
	offset   int
}

// encodingRank orders the encodings by preference, when a secret is found in several.
func encodingRank(encoding string) int {
	return slices.Index([]string{scan.Raw, scan.Base64, scan.Base64URL, scan.URLEncoded, scan.Hex, scan.JSONEscaped}, encoding)
}

// knownIn returns, for each secret found in b before limit (anywhere when limit < 0), one match: of
// the first encoding in scan's order (raw first). The matches are in the order of the secrets.
func (v *verifier) knownIn(b []byte, limit int) []knownMatch {
	var out []knownMatch
	for _, m := range v.scanner.Scan(b) {
		if limit >= 0 && m.Offset >= int64(limit) {
			continue
		}
		k := knownMatch{secret: secretIndex(m.ID), encoding: m.Encoding, offset: int(m.Offset)}
		i := slices.IndexFunc(out, func(o knownMatch) bool { return o.secret == k.secret })
		switch {
		case i < 0:
			out = append(out, k)
		case encodingRank(k.encoding) < encodingRank(out[i].encoding):
			out[i] = k
		}
	}
	slices.SortFunc(out, func(a, b knownMatch) int { return a.secret - b.secret })
	return out
}
