package credential

import (
	"slices"
	"testing"
)

func TestWords(t *testing.T) {
	for name, want := range map[string][]string{
		"NPM_TOKEN":             {"npm", "token"},
		"npmToken":              {"npm", "token"},
		"db-password":           {"db", "password"},
		"APIKey":                {"api", "key"},
		"api.key":               {"api", "key"},
		"OAUTH2_TOKEN":          {"oauth2", "token"},
		"S3Bucket":              {"s3", "bucket"},
		"passwordMinLength":     {"password", "min", "length"},
		"__SECRET__":            {"secret"},
		"PGPASSWORD":            {"pgpassword"},
		"X":                     {"x"},
		"HTTPServerURL":         {"http", "server", "url"},
		"aws_secret_access_key": {"aws", "secret", "access", "key"},
	} {
		if got := Words(name); !slices.Equal(got, want) {
			t.Errorf("Words(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestIsName(t *testing.T) {
	credentials := []string{
		"NPM_TOKEN", "npmToken", "db-password", "GH_PAT", "GITHUB_PAT", "OPENAI_API_KEY", "API_KEY", "APIKEY",
		"JWT_SECRET", "CLIENT_SECRET", "SSH_PRIVATE_KEY", "PASSWD", "AUTH_TOKEN", "ACCESS_KEY",
		"AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "credentials", "CREDENTIALS", "PASSWORD", "DB_PASS",
		"SMTP_PASSWORD", "POSTGRES_PASSWORD", "MYSQL_ROOT_PASSWORD", "PGPASSWORD", "NGROK_AUTHTOKEN",
		"SECRET_KEY_BASE", "RAILS_MASTER_KEY", "APP_KEY", "SECRET", "TOKEN", "KEY", "BASIC_AUTH",
		"NPM_CONFIG__AUTH", "NODE_AUTH_TOKEN", "HF_TOKEN", "VAULT_TOKEN", "ID_TOKEN", "DB_PWD",
		"ENCRYPTION_KEY_V2", "API_KEY_1", "privateKey", "secretKey", "accessToken", "refresh_token",
		"NEW_RELIC_LICENSE_KEY", "DEPLOY_KEY", "SSH_KEY", "PASSPHRASE", "GPG_PASSPHRASE", "SIGNING_KEY",
		"registry-password", "KEYCLOAK_ADMIN_PASSWORD", "SESSION_SECRET", "COOKIE_SECRET",
	}
	for _, n := range credentials {
		if !IsName(n) {
			t.Errorf("IsName(%q) = false, want true", n)
		}
	}
	notCredentials := []string{
		"NODE_VERSION", "TOKEN_VERSION", "PASSWORD_FILE", "NPM_TOKEN_FILE", "SECRETS_PATH", "SECRET_DIR",
		"CREDENTIALS_DIRECTORY", "PUBLIC_KEY", "JWT_PUBLIC_KEY", "NEXT_PUBLIC_API_KEY", "SSH_AUTH_SOCK",
		"TOKEN_URL", "AUTH_URL", "DATABASE_URL", "PASSWORD_MIN_LENGTH", "passwordMinLength", "MAX_TOKENS",
		"TOKEN_TTL", "AUTH_ENABLED", "PASSWORD_AUTH_DISABLE", "TOKEN_ENDPOINT", "REDIS_HOST", "SECRET_PORT",
		"GPG_KEY", "GPG_KEYS", "PGP_KEY", "NODE_GPG_KEYS", "KEY_ID", "ACCESS_KEY_ID", "AWS_ACCESS_KEY_ID",
		"CLIENT_ID", "PWD", "OLDPWD", "GOOGLE_APPLICATION_CREDENTIALS", "AWS_SHARED_CREDENTIALS_FILE",
		"SECRET_KEY_BASE_DUMMY", "CACHE_KEY", "SORT_KEY", "RECAPTCHA_SITE_KEY", "SUPABASE_ANON_KEY",
		"STRIPE_PUBLISHABLE_KEY", "MYSQL_ALLOW_EMPTY_PASSWORD", "MYSQL_RANDOM_ROOT_PASSWORD",
		"POSTGRES_HOST_AUTH_METHOD", "TOKENIZERS_PARALLELISM", "KEYCLOAK_URL", "PATH", "HOME", "LANG",
		"PYTHON_VERSION", "NPM_CONFIG_USERCONFIG", "GIT_ASKPASS", "PGPASSFILE", "AUTH_TYPE", "SECRET_NAME",
		"PASSWORD_HASH_ALGORITHM", "TOKEN_HEADER", "KEYRING", "MONKEY", "BYPASS", "JAVA_OPTS", "SECRETS_MANAGER_ARN",
	}
	for _, n := range notCredentials {
		if IsName(n) {
			t.Errorf("IsName(%q) = true (word %q), want false", n, NameWord(n))
		}
	}
}
