package shellflow

import "testing"

func BenchmarkZZTrivial(b *testing.B) {
	spec := Spec{Script: "npm ci --omit=dev", SecretFiles: []string{"/root/.npmrc"}, Workdir: "/app", Home: "/root",
		Env: map[string]string{"NODE_ENV": "production", "PATH": "/usr/local/bin:/usr/bin", "NODE_VERSION": "22", "YARN_VERSION": "1.22"}}
	var z Analyzer
	b.ReportAllocs()
	for b.Loop() {
		z.Analyze(spec)
	}
}
