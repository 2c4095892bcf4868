package credential

import (
	"path"
	"strings"
	"testing"
)

func TestClassifyFile(t *testing.T) {
	for p, want := range map[string]string{
		".npmrc":                               "npmrc",
		"app/.npmrc":                           "npmrc",
		"./.pypirc":                            "pypirc",
		"/home/ci/.netrc":                      "netrc",
		"_netrc":                               "netrc",
		".env":                                 "dotenv",
		".env.production":                      "dotenv",
		"config/.env.local":                    "dotenv",
		"prod.env":                             "dotenv",
		".git-credentials":                     "git-credentials",
		"home/.docker/config.json":             "docker-config",
		".kube/config":                         "kubeconfig",
		"kubeconfig":                           "kubeconfig",
		"id_rsa":                               "ssh-private-key",
		"keys/id_ed25519":                      "ssh-private-key",
		"deploy_rsa":                           "ssh-private-key",
		"server.key":                           "private-key-file",
		"tls/key.pem":                          "private-key-file",
		"certs/fullchain.pem":                  "certificate",
		"ca.pem":                               "certificate",
		"server.crt":                           "certificate",
		"keystore.p12":                         "pkcs12",
		"cert.pfx":                             "pkcs12",
		".aws/credentials":                     "aws-credentials",
		"application_default_credentials.json": "gcloud-adc",
		"gcp-service-account.json":             "service-account-key",
		"credentials.json":                     "service-account-key",
		".terraformrc":                         "terraformrc",
		"credentials.tfrc.json":                "terraform-credentials",
		".vault-token":                         "vault-token",
		".htpasswd":                            "htpasswd",
		"config/master.key":                    "rails-master-key",
		"config/credentials/production.key":    "rails-master-key",
		".ssh":                                 "ssh-dir",
	} {
		k := ClassifyFile(p)
		if k == nil || k.ID != want {
			got := "nil"
			if k != nil {
				got = k.ID
			}
			t.Errorf("ClassifyFile(%q) = %s, want %s", p, got, want)
		}
	}
	for _, p := range []string{
		".env.example", ".env.sample", ".env.template", ".env.dist", "config/.env.example", "example.env",
		"id_rsa.pub", "id_ed25519.pub", "package.json", "main.go", "README.md", ".npmignore",
		"config.json", ".dockerignore", "Dockerfile", "keys.txt", "environment.ts", "src/env.js",
	} {
		if k := ClassifyFile(p); k != nil {
			t.Errorf("ClassifyFile(%q) = %s, want none", p, k.ID)
		}
	}
}

func TestFileVerdicts(t *testing.T) {
	key := "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ==\n-----END OPENSSH PRIVATE KEY-----\n"
	cert := "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBa\n-----END CERTIFICATE-----\n"
	for _, tc := range []struct {
		path, content string
		want          Verdict
	}{
		{".npmrc", "//registry.npmjs.org/:_authToken=1b721076-0474-f36e-8b53-59309cc62739\n", Credential},
		{".npmrc", "_auth=Ym90OjJSTVpoWUtZY3dJQlF4ZUc=\nemail=ci@acme.test\n", Credential},
		{".npmrc", "registry=https://npm.internal/\nsave-exact=true\n", NotCredential},
		{".npmrc", "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n", NotCredential},
		{".yarnrc.yml", "npmAuthToken: \"${NPM_TOKEN}\"\n", NotCredential},
		{".yarnrc.yml", "npmAuthToken: 1b721076-0474-f36e-8b53-59309cc62739\n", Credential},
		{".pypirc", "[pypi]\nusername = __token__\npassword = pypi-AgEIcHlwaS5vcmc2BzNZV45pFCiRcDCajhDieQjEJ_Bq8F80ymm3T207gmhZRnFyy5r2xJ7Fj4mgblEv0_9BZ\n", Credential},
		{".pypirc", "[distutils]\nindex-servers = pypi\n", NotCredential},
		{".env", "NODE_ENV=production\nPORT=3000\n", NotCredential},
		{".env", "export DB_PASSWORD=\"s3cr3t-pa55\"\n", Credential},
		{".env", "DB_PASSWORD=${DB_PASSWORD}\nAPI_KEY=\n", NotCredential},
		{".env", "SENTRY=ghp_OhbVrpoiVgRV5IfLBcbfnoGMbJmTPSIAoCLr\n", Credential},
		{"key.pem", key, Credential},
		{"key.pem", cert, NotCredential},
		{"fullchain.pem", cert + key, Credential},
		{"id_rsa", key, Credential},
		{".docker/config.json", `{"credsStore":"desktop"}`, NotCredential},
		{".docker/config.json", `{"auths":{"ghcr.io":{"auth":"Ym90OjJSTVpoWUtZY3dJQlF4ZUc="}}}`, Credential},
		{".kube/config", "users:\n- name: ci\n  user:\n    exec:\n      command: aws\n", NotCredential},
		{".kube/config", "users:\n- name: ci\n  user:\n    token: 2RMZhYKYcwIBQxeG9aTMX1C\n", Credential},
		{"service-account.json", `{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\n..."}`, Credential},
		{"credentials.json", `{"installed": {"client_id": "x"}}`, NotCredential},
		{"auth.json", `{"github-oauth": {"github.com": "2RMZhYKYcwIBQxeG9aTMX1C"}}`, Credential},
		{"auth.json", `{"name": "not composer"}`, NotCredential},
		{"gradle.properties", "org.gradle.jvmargs=-Xmx2g\n", NotCredential},
		{"gradle.properties", "mavenPassword=s3cr3t-pa55\n", Credential},
		{".git-credentials", "https://bot:2RMZhYKYcwIBQxeG@git.corp\n", Credential},
		{"secrets.yml", "production:\n  secret_key_base: <%= ENV[\"SECRET_KEY_BASE\"] %>\n", NotCredential},
	} {
		k := ClassifyFile(tc.path)
		if k == nil {
			t.Errorf("%s: not classified", tc.path)
			continue
		}
		if got := k.Verdict([]byte(tc.content), true); got != tc.want {
			t.Errorf("%s %.40q: %s, want %s", tc.path, tc.content, got, tc.want)
		}
	}
}

// TestClassifyFileIndex checks that ClassifyFile, which tries only the kinds its index selects, finds
// what trying every kind in order finds.
func TestClassifyFileIndex(t *testing.T) {
	var names []string
	for _, k := range fileKinds {
		for _, p := range append(k.Patterns(), k.not...) {
			for _, fill := range []string{"", "x", "a.b", "-", "_"} {
				n := strings.NewReplacer("*", fill, "?", "y", "[", "", "]", "").Replace(p)
				names = append(names, n, "dir/"+n, "/root/"+n, n+".bak", "."+n, n+"/sub")
			}
		}
	}
	names = append(names, "", ".", "/", "..", "a", "package.json", "Dockerfile", "src/main.go", "./x/../.npmrc")
	for _, p := range names {
		want := classifySlow(p)
		if got := ClassifyFile(p); got != want {
			t.Errorf("ClassifyFile(%q) = %v, want %v", p, got, want)
		}
	}
}

func classifySlow(p string) *FileKind {
	p = strings.TrimSuffix(path.Clean("/"+p), "/")
	base := path.Base(p)
	for _, k := range fileKinds {
		if k.matches(p, base) {
			return k
		}
	}
	return nil
}
