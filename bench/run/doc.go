// Command run is `make bench`: it measures Keytray against floors measured in
// the same run, on the same machine, and prints one markdown table (also
// written to docs/benchmarks.md with the machine's description and date).
// Absolute times on shared machines are noisy, so every figure that has a
// budget is a ratio against a floor, and the runs that are compared are
// interleaved (A, B, C, A, B, C, …) so that noise falls on all of them alike.
//
// It must run inside scripts/testenv.sh (a private session bus, an unlocked
// gnome-keyring and Xvfb): it writes to the keyring it finds there. It builds
// the desktop and headless binaries and both floors (bench/floor-keyring,
// bench/floor-fyne), seeds one profile with one key and another with 1,000
// keys across 50 servers (in process, through keys/vault and the real
// keyring), and measures:
//
//   - `keytray get NAME` against `secret-tool lookup` and floor-keyring;
//   - `keytray list` and `keytray get` with 1,000 keys against one key;
//   - start to window mapped (X MapNotify, seen by xev) and RSS after 5 s,
//     against floor-fyne;
//   - CPU over a minute idle in the tray with the clipboard guard on,
//     side by side with floor-fyne idle in its tray;
//   - export and import of 1,000 keys (CLI, age with a passphrase);
//   - the clipboard guard's latency, from another client's copy of a session
//     token to Keytray's warning: on X11, and on Wayland (headless sway with
//     data-control, in an unprivileged user's own session: package
//     usersession) with Keytray in the background;
//   - keytray scan against ripgrep;
//   - the Go benchmarks of the hot paths (go test -bench).
//
// Usage: go run ./bench/run [-runs 25] [-idle 60s] [-out docs/benchmarks.md]
package main
