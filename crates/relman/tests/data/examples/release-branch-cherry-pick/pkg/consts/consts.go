// Package consts holds values the build pipeline sets.
package consts

// CortexVersion is set at build time from the git tag (or `git describe` on a branch build):
// -ldflags "-X github.com/cortexlabs/cortex/pkg/consts.CortexVersion=v0.4.0".
var CortexVersion = "master"
