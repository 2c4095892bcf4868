package credential

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// The credentials below are made up: random strings in the documented formats.

func TestFindKnownFormats(t *testing.T) {
	for _, tc := range []struct {
		text, id, masked string
	}{
		{"ENV GH=ghp_OhbVrpoiVgRV5IfLBcbfnoGMbJmTPSIAoCLr", "github-pat", "ghp_… (40 chars)"},
		{"token gho_Z3aWZkSBvrjn9Wvgfygw2wMqZcUDIh7yfJs1 x", "github-oauth", "gho_… (40 chars)"},
		{`"ghs_ON43xKmTecQoXsf2o3gyrDO1xkxwnQrS7RPe"`, "github-app-token", "ghs_… (40 chars)"},
		{"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", "github-fine-grained-pat", "github_pat_… (93 chars)"},
		{"PRIVATE-TOKEN: glpat-GboIRoL3u6aHwnMztVua", "gitlab-token", "glpat… (26 chars)"},
		{"NPM=npm_MuFbh7x41Ztpdp4K8ffUF0eWIXiiQE8JkqH3;", "npm-token", "npm_… (40 chars)"},
		{"pypi-AgEIcHlwaS5vcmc2BzNZV45pFCiRcDCajhDieQjEJ_Bq8F80ymm3T207gmhZRnFyy5r2xJ7Fj4mgblEv0_9BZ", "pypi-token", "pypi-… (90 chars)"},
		{"AWS_ACCESS_KEY_ID=AKIADKYAYQ5S37JMSNDD", "aws-access-key-id", "AKIA… (20 chars)"},
		{"aws configure set aws_secret_access_key Ohg9uhkxiiEZpFfk1OHAOEHYqM6Ojb6mjBHqSiFV", "aws-secret-access-key", "(40 chars)"},
		{"AWS_SECRET_ACCESS_KEY=\"Ohg9uhkxiiEZpFfk1OHAOEHYqM6Ojb6mjBHqSiFV\"", "aws-secret-access-key", "(40 chars)"},
		{"SLACK=xoxb-42784980841-241182449353-RO2qGFq562dfOB1rcavXiOqk", "slack-token", "xoxb-… (54 chars)"},
		{"curl https://hooks.slack.com/services/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 -d x", "slack-webhook", "hooks.slack.com… (69 chars)"},
		{"STRIPE=sk_live_7p3kZZl4AblV7vY7AZQ3VZpr", "stripe-secret-key", "sk_live_… (32 chars)"},
		{"key=AIzaunWe8Cz6SNDCdyZQJiJSZQdoHwHen3SO3oX&q=1", "google-api-key", "AIza… (39 chars)"},
		{"dckr_pat_yGf3azU3iQOpMN0PZLqy1WwMZaM", "dockerhub-pat", "dckr_pat_… (36 chars)"},
		{"HF=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", "huggingface-token", "hf_… (37 chars)"},
		{"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", "sendgrid-api-key", "SG.… (69 chars)"},
		{"Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6ImJ1aWxkIGJvdCIsImlhdCI6MTUxNjIzOTAyMn0.W9aTMX1C_CI3_dXRZv7qdYdk2r7xgHWPB6PRWJ1Gk8c", "jwt", "eyJ… (156 chars)"},
		{"dop_v1_5250def91799e2786d3748421599e3e9c8fe21da80270815fe85df2fbdaa35ad", "digitalocean-token", "dop_v1_… (71 chars)"},
		{"//registry.npmjs.org/:_authToken=1b721076-0474-f36e-8b53-59309cc62739", "npmrc-auth", "(36 chars)"},
		{`{"auths":{"ghcr.io":{"auth":"Ym90OjJSTVpoWUtZY3dJQlF4ZUc="}}}`, "docker-config-auth", "(28 chars)"},
		{`curl -H "Authorization: Bearer 2RMZhYKYcwIBQxeG9aTMX1C" https://api`, "http-authorization", "(23 chars)"},
		{"git clone https://deploy:2RMZhYKYcwIBQxeG@git.internal.corp/app.git", "url-password", "(16 chars)"},
		{"DATABASE_URL=postgres://app:2RMZhYKYcwIBQxeG@db:5432/app", "url-password", "(16 chars)"},
		{"-----BEGIN RSA PRIVATE KEY-----\nRb1+n3U6t3wI973IPFlJ5F7WRd/Px+BTHRJJbykE0+E8+5clLCZFNV8S2QT6INGD\n", "private-key", "RSA PEM block"},
		{`echo "-----BEGIN OPENSSH PRIVATE KEY-----\nRb1+n3U6t3wI973IPFlJ5F7WRd/Px+BTHRJJbykE0+E8+5clLCZFNV8S2QT6INGD\n-----END OPENSSH PRIVATE KEY-----"`, "private-key", "OPENSSH PEM block"},
		{"-----BEGIN PRIVATE KEY-----\r\nProc-Type: 4,ENCRYPTED\r\n\r\npyOpxyB9JKmyLDUwMbqJfgLq+nbK894RxgG9oiZ+jgttMkFp1CW54M2NhmABHkuE", "private-key", "PEM block"},
	} {
		ms := Find(tc.text)
		if len(ms) != 1 {
			t.Errorf("Find(%.40q): %d matches, want 1 (%s)", tc.text, len(ms), tc.id)
			continue
		}
		m := ms[0]
		if m.Pattern.ID != tc.id || m.Masked != tc.masked {
			t.Errorf("Find(%.40q) = %s %q, want %s %q", tc.text, m.Pattern.ID, m.Masked, tc.id, tc.masked)
		}
		secret := tc.text[m.Start:m.End]
		if strings.Contains(m.Masked, secret[min(len(secret), m.Pattern.show+1):]) {
			t.Errorf("Find(%.40q): mask %q reveals the credential", tc.text, m.Masked)
		}
	}
}

func TestFindNoFalseAlarms(t *testing.T) {
	for _, text := range []string{
		// digests, checksums, fingerprints, ids
		"FROM alpine@sha256:beefdbd8a1da6d2915566fde36db9db0b524eb737fc57cd1367effd16dc0d06d",
		"echo \"6a0f8a2bf0d7ac4e9f5bd61c9d6b4af3d61a91d68b9e7e3b2d3a3b4c5d6e7f80  node.tar.xz\" | sha256sum -c -",
		"ENV GPG_KEY A035C8C19219BA821ECEA86B64E628F8D684696D",
		"ENV GPG_KEYS 4ED778F539E3634C779C87C6D7062848A1AB005C 141F07595B7B3FFE74309A937405533BE57C7D57",
		"LABEL org.opencontainers.image.revision=3f2a1c9e8d7b6a5f4e3d2c1b0a9f8e7d6c5b4a39",
		"ARG BUILD_ID=123e4567-e89b-12d3-a456-426614174000",
		"RUN echo aGVsbG8gd29ybGQsIHRoaXMgaXMganVzdCBhIGJhc2U2NCBzdHJpbmc= | base64 -d",
		"ENV JAVA_HOME=/opt/java/openjdk PATH=/usr/local/bin:$PATH",
		// references and placeholders
		"RUN git clone https://x-access-token:${GITHUB_TOKEN}@github.com/org/repo.git",
		"RUN git clone https://oauth2:$CI_JOB_TOKEN@gitlab.com/org/repo.git",
		"RUN git clone https://$USER:$(cat /run/secrets/pw)@git.corp/app.git",
		"ENV DATABASE_URL=postgres://user:password@localhost:5432/app",
		"ENV DATABASE_URL=postgres://app:2RMZhYKYcwIBQxeG@db.example.com/app",
		"ENV URL=https://user:@host/",
		"ENV AMQP_URL=amqp://guest:guest@rabbitmq:5672/",
		"ENV TEST_DATABASE_URL=postgres://test:test@localhost/app_test",
		"ENV URL=https://user:%s@host/",
		"RUN echo \"//registry.npmjs.org/:_authToken=${NPM_TOKEN}\" > .npmrc",
		"RUN npm config set //registry.npmjs.org/:_authToken \"$NPM_TOKEN\"",
		"RUN grep -q 'BEGIN RSA PRIVATE KEY' /etc/ssl/key.pem",
		"RUN curl -H \"Authorization: Bearer $TOKEN\" https://api",
		"ENV AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE",
		"ENV AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		"ENV X=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
		"https://github.com/docker-library/python/blob/master/Dockerfile",
		"ssh://git@github.com/org/repo.git",
		"RUN pip install --index-url https://pypi.org/simple/ flask",
		"-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJRTESMBAGA1UEChMJ\n",
		"-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxKLxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW/VDL5AaWTg0nLVkjRo9z+40RQzuVaE8AkAFmxZzow3x+VJYKdjykkJ0iT9wCS0DRTXu269V264Vf/3jvredZiKRkgwlL9xNAwxXFg0x/XFw005UWVRIkdgcKWTjpBP2dPwVZ4WWC+9aGVd+Gyn1o0CLelf4rEjGoXbAAEgAqeGUxrcIlbjXfbcmwIDAQAB\n-----END PUBLIC KEY-----",
		"-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQINBFit2ioBEADhWpZ8/wvZ6hUTiXOwQHXMAlaFHcPH9hAtr4F1y2+OYdbtMuth\n",
		"ARG SECRET_KEY_BASE=placeholder",
		"RUN SECRET_KEY_BASE=placeholder bundle exec rails assets:precompile",
	} {
		if ms := Find(text); len(ms) > 0 {
			t.Errorf("Find(%.60q) = %s %q, want nothing", text, ms[0].Pattern.ID, ms[0].Masked)
		}
	}
}

func TestPatternsDocumented(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range Patterns() {
		if p.ID == "" || p.Name == "" || !strings.HasPrefix(p.Source, "https://") || len(p.keywords) == 0 {
			t.Errorf("pattern %q: ID, Name, Source URL and keywords are required", p.ID)
		}
		if seen[p.ID] {
			t.Errorf("pattern %q listed twice", p.ID)
		}
		seen[p.ID] = true
	}
}

func TestIsPlaceholder(t *testing.T) {
	for _, v := range []string{"", "placeholder", "dummy", "xxxxxxxx", "********", "<your token>", "{{ .Token }}", "your_token_here", "true", "1", "CHANGEME_placeholder", "REPLACE_ME", "guest", "test"} {
		if !IsPlaceholder(v) {
			t.Errorf("IsPlaceholder(%q) = false", v)
		}
	}
	for _, v := range []string{"changeme", "hunter2", "2RMZhYKYcwIBQxeG", "postgres", "s3cr3t!"} {
		if IsPlaceholder(v) {
			t.Errorf("IsPlaceholder(%q) = true", v)
		}
	}
}

// findTexts returns texts for the tests that compare Find's shortcuts with plain regexp matching: the
// examples above, and random texts made of keywords, credential-like runs and separators.
func findTexts() []string {
	texts := []string{
		"", "x", "ghp_", "npm_npm_npm_", "_auth=_authToken=12345678 _password = 'abcdefgh1'",
		"//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n//npm.pkg.github.com/:_authToken=1b721076-0474",
		"_auth\t=\n\"abcdefgh\"", "_password='abcdefg'", "_auth = ${X} _password = 12345678", "_authTok_auth=12345678",
	}
	rng := rand.New(rand.NewPCG(1, 2))
	pieces := []string{" ", "\n", "=", ":", "\"", "'", "-", "_", "/", "@", "://", "${X}", "\\n", "EXAMPLE"}
	for _, p := range patterns {
		pieces = append(pieces, p.keywords...)
		for _, k := range p.keywords {
			pieces = append(pieces, strings.ToUpper(k), strings.ToLower(k))
		}
	}
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/=._-"
	// Back-to-back credentials: keyword, run of token characters, keyword, …
	for _, p := range patterns {
		for range 20 {
			var b strings.Builder
			for range 2 + rng.IntN(3) {
				b.WriteString(p.keywords[rng.IntN(len(p.keywords))])
				for range 20 + rng.IntN(70) {
					b.WriteByte(alphabet[rng.IntN(62)])
				}
			}
			texts = append(texts, b.String())
		}
	}
	for range 3000 {
		var b strings.Builder
		for range 1 + rng.IntN(12) {
			if rng.IntN(2) == 0 {
				b.WriteString(pieces[rng.IntN(len(pieces))])
				continue
			}
			for range rng.IntN(100) {
				b.WriteByte(alphabet[rng.IntN(len(alphabet))])
			}
		}
		texts = append(texts, b.String())
	}
	return texts
}

// TestLeadRegexp checks that matching only where a keyword starts finds what the regexp finds.
func TestLeadRegexp(t *testing.T) {
	n := 0
	for _, p := range patterns {
		if p.lead == nil {
			continue
		}
		n++
		for _, s := range findTexts() {
			if got, want := p.findAll(s), p.re.FindAllStringSubmatchIndex(s, -1); !reflect.DeepEqual(got, want) && len(got)+len(want) > 0 {
				t.Errorf("%s in %q: %v, want %v", p.ID, s, got, want)
			}
		}
	}
	if n < len(patterns)/2 {
		t.Errorf("only %d patterns match from their keywords", n)
	}
}

// TestKeywordScan checks the keyword index against plain string search.
func TestKeywordScan(t *testing.T) {
	for _, s := range findTexts() {
		var want uint64
		lower := strings.Map(func(r rune) rune {
			if r >= 'A' && r <= 'Z' {
				return r + 'a' - 'A'
			}
			return r
		}, s)
		for i, p := range patterns {
			for _, k := range p.keywords {
				if strings.Contains(s, k) || p.fold && strings.Contains(lower, k) {
					want |= 1 << i
				}
			}
		}
		if got := keywords.scan(s); got != want {
			t.Errorf("scan(%q) = %b, want %b", s, got, want)
		}
	}
}

// TestMayMatch checks that mayMatch is a necessary condition for a match of a pattern whose keywords
// are matched as written.
func TestMayMatch(t *testing.T) {
	for _, p := range patterns {
		if p.fold {
			continue
		}
		for _, s := range findTexts() {
			var lower string
			if p.re.MatchString(s) && !p.mayMatch(s, keywords.scan(s), &lower) {
				t.Errorf("%s matches %q but mayMatch says it cannot", p.ID, s)
			}
		}
	}
}
