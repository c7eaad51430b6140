//go:build headless

package version

const headless = true
