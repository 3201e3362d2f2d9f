// Package ci holds the files that run newsa11y in other people's CI (the
// GitLab templates under gitlab/; the recipes for runs sharded over
// several machines: a Kubernetes Indexed Job under kubernetes/, a GitHub
// Actions workflow under github/) and the tests of every such file of the
// repository: the Dockerfile and its steps, the GitHub Action and its
// scripts, the GitLab templates, the sharded recipes. They are run here as
// far as a machine without a Docker daemon, base images, a cluster,
// GitLab or GitHub can run them (see docs/sharding.md).
package ci
