package shellflow

import "testing"

// benchScript is a typical RUN body: 20 lines of dependency setup with a
// secret mount.
const benchScript = `set -eux
apt-get update
apt-get install -y --no-install-recommends ca-certificates curl git
rm -rf /var/lib/apt/lists/*
export NPM_TOKEN="$(cat /run/secrets/npm)"
echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > /root/.npmrc
npm config set fund false
npm ci --omit=dev
npm run build
rm -f /root/.npmrc
TMP="$(mktemp -d)"
curl -fsSL -H "Authorization: Bearer $(cat /run/secrets/t)" -o "$TMP/tool.tgz" https://example.com/tool.tgz
tar -xzf "$TMP/tool.tgz" -C /usr/local/bin
rm -rf "$TMP"
if [ -n "${GIT_TOKEN:-}" ]; then
  git clone --depth 1 "https://github.com/example/assets.git" /opt/assets
fi
for d in /app/cache /app/tmp; do mkdir -p "$d"; done
chown -R node:node /app
npm cache clean --force`

func BenchmarkAnalyze(b *testing.B) {
	spec := baseSpec(benchScript)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Analyze(spec); err != nil {
			b.Fatal(err)
		}
	}
}

func TestBenchScript(t *testing.T) {
	r := analyze(t, baseSpec(benchScript))
	if len(r.Leaks) != 0 || len(r.Unsupported) != 0 {
		t.Errorf("leaks %q, unsupported %q", leakStrings(r), noteStrings(r.Unsupported))
	}
}

// BenchmarkParse is the floor: parsing the same script with mvdan.cc/sh.
func BenchmarkParse(b *testing.B) {
	a := newAnalyzer(&Spec{}, new(Analyzer))
	for b.Loop() {
		if _, err := a.parse(benchScript); err != nil {
			b.Fatal(err)
		}
	}
}
