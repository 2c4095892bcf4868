package analysis

import (
	"strings"
	"testing"

	"github.com/tightlip/tightlip/model"
)

func TestMask(t *testing.T) {
	const token = "ghp_R4nd0mLooking1dentifierAbCdEfGhIj012"
	for _, tc := range []struct {
		name, dockerfile string
		secrets          []string // must not survive
		keep             []string // must survive
	}{
		{"token in RUN", "FROM a\nRUN curl -H 'Authorization: token " + token + "' https://x\n", []string{token}, []string{"RUN curl"}},
		{"ENV password", "FROM a\nENV DB_PASSWORD=hunter2hunter2 PORT=5432\n", []string{"hunter2hunter2"}, []string{"DB_PASSWORD=", "PORT=5432"}},
		{"ENV legacy form", "FROM a\nENV API_SECRET s3cr3tvalue-x\n", []string{"s3cr3tvalue-x"}, []string{"ENV API_SECRET "}},
		{"ARG default", "ARG NPM_TOKEN=\"abc-def-123456\"\nFROM a\n", []string{"abc-def-123456"}, []string{"ARG NPM_TOKEN="}},
		{"variable reference kept", "FROM a\nARG TOKEN\nENV API_TOKEN=${TOKEN}\n", nil, []string{"${TOKEN}"}},
		{"comment", "# old token: " + token + "\nFROM a\n", []string{token}, []string{"# old token: "}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := model.Parse("Dockerfile", []byte(tc.dockerfile))
			if err != nil {
				t.Fatal(err)
			}
			got := string(Mask(f))
			if len(got) != len(tc.dockerfile) || strings.Count(got, "\n") != strings.Count(tc.dockerfile, "\n") {
				t.Fatalf("masking moved text:\n%s", got)
			}
			for _, s := range tc.secrets {
				if strings.Contains(got, s) {
					t.Errorf("%q survived masking:\n%s", s, got)
				}
			}
			for _, s := range tc.keep {
				if !strings.Contains(got, s) {
					t.Errorf("%q was masked:\n%s", s, got)
				}
			}
		})
	}
}
