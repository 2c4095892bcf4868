package rules_test

import (
	"testing"

	"github.com/tightlip/tightlip/model"
	"github.com/tightlip/tightlip/rules"
)

// TestStoreCommands checks that a RUN with each of the credential-storing commands shellflow knows is
// analysed (the rules skip RUNs that cannot tell them anything) and reported by TL203.
func TestStoreCommands(t *testing.T) {
	for _, cmd := range []string{
		"docker login -u ci -p x registry.example.com",
		"/usr/bin/docker --config /root/.docker login ghcr.io -u ci --password-stdin < /tmp/p",
		"helm registry login registry.example.com -u ci -p x",
		"helm repo add acme https://charts.example.com --username ci --password x",
		"podman login -u ci -p x registry.example.com",
		"buildah login -u ci -p x registry.example.com",
		"skopeo login -u ci -p x registry.example.com",
		"crane auth login registry.example.com -u ci -p x",
		"oras login registry.example.com -u ci -p x",
		"regctl registry login registry.example.com -u ci -p x",
		"npm config set //registry.example.com/:_authToken=$T",
		"npm login --registry https://registry.example.com",
		"yarn npm login --scope acme",
		"pnpm config set //registry.example.com/:_authToken=$T",
		"git config --global credential.helper store",
		"git clone https://ci:$T@github.com/acme/app.git /app",
		"cd /app && git remote add origin https://ci:$T@github.com/acme/app.git",
		"composer config --global http-basic.repo.example.com ci $T",
		"aws configure set aws_secret_access_key $T",
		"gcloud auth activate-service-account --key-file /tmp/key.json",
		"az login --service-principal -u ci -p $T --tenant acme",
		"pip config set global.index-url https://ci:$T@pypi.example.com/simple",
		"pip3 config set global.index-url https://ci:$T@pypi.example.com/simple",
		"python3 -m pip config set global.index-url https://ci:$T@pypi.example.com/simple",
		"poetry config http-basic.acme ci $T",
		"gem signin",
		"cargo login $T",
		"gh auth login --with-token < /tmp/t",
		"kubectl config set-credentials ci --token=$T",
		"huggingface-cli login --token $T",
		"hf auth login --token $T",
		"terraform login",
		"vault login $T",
		"dotnet nuget add source https://nuget.example.com -n acme -u ci -p $T",
		"mc alias set acme https://s3.example.com ci $T",
		"doctl auth init -t $T",
		"sh -c 'docker login -u ci -p x registry.example.com'",
	} {
		f, err := model.Parse("Dockerfile", []byte("FROM alpine\nARG T\nRUN "+cmd+"\n"))
		if err != nil {
			t.Fatal(err)
		}
		if got := rules.Run(f, rules.Options{Rules: []*rules.Rule{rules.TL203}}); len(got) == 0 {
			t.Errorf("RUN %s: no TL203 finding", cmd)
		}
	}
}
