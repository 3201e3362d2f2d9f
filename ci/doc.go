// Package ci holds the files that run newsa11y in other people's CI (the
// GitLab template under gitlab/) and the tests of every such file of the
// repository: the Dockerfile and its steps, the GitHub Action and its
// scripts, the GitLab template. They are run here as far as a machine
// without a Docker daemon, base images or GitHub can run them.
package ci
