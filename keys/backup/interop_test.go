package backup

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"
)

// These tests hold Keytray to its promise that the stock `age` command reads
// its backups, and that it reads what `age` writes. `make test` installs age
// (Debian package "age"); without it they skip.

func ageCommand(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("age")
	if err != nil {
		t.Skip("the age command is not installed (make test installs it)")
	}
	return p
}

// runAge runs age with arguments that hold only paths and public keys. A
// passphrase goes through stdin, to a terminal made by script(1), because
// age reads passphrases only from a terminal. Output is never logged: it may
// be a decrypted backup, or echo the passphrase.
func runAge(t *testing.T, stdin string, args ...string) {
	t.Helper()
	age := ageCommand(t)
	var cmd *exec.Cmd
	if stdin == "" {
		cmd = exec.Command(age, args...)
	} else {
		script, err := exec.LookPath("script")
		if err != nil {
			t.Skip("script(1) is needed to give age a terminal")
		}
		line := age
		for _, a := range args {
			line += " '" + a + "'"
		}
		cmd = exec.Command(script, "-qec", line, "/dev/null")
		cmd.Stdin = strings.NewReader(stdin)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if stdin != "" {
			t.Fatalf("age %s: %v", args[0], err)
		}
		t.Fatalf("age %s: %v: %s", strings.Join(args, " "), err, stderr.Bytes())
	}
}

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// interopSetup makes a document, its plaintext JSON, and an age and an SSH key pair.
func interopSetup(t *testing.T) (doc Document, plain []byte, id *age.X25519Identity, edPub string, edPriv []byte) {
	t.Helper()
	ageCommand(t)
	doc = testDoc(t, 3)
	plain, err := PlainJSON(doc)
	if err != nil {
		t.Fatal(err)
	}
	edPub, edPriv = sshEd25519(t)
	return doc, plain, newX25519(t), edPub, edPriv
}

func TestAgeCommandDecryptsBackups(t *testing.T) {
	doc, want, id, edPub, edPriv := interopSetup(t)
	tests := []struct {
		name     string
		enc      Encryption
		identity []byte // nil: passphrase
	}{
		{"x25519", Encryption{Recipients: []string{id.Recipient().String()}}, []byte(id.String() + "\n")},
		{"x25519 armored", Encryption{Recipients: []string{id.Recipient().String()}, Armor: true}, []byte(id.String() + "\n")},
		{"ssh-ed25519", Encryption{Recipients: []string{edPub}}, edPriv},
		{"passphrase armored", Encryption{Passphrase: passphrase, Armor: true}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			in := writeFile(t, dir, "keys.age", encode(t, doc, tt.enc))
			out := filepath.Join(dir, "keys.json")
			if tt.identity == nil {
				runAge(t, passphrase+"\n", "-d", "-o", out, in)
			} else {
				runAge(t, "", "-d", "-i", writeFile(t, dir, "identity", tt.identity), "-o", out, in)
			}
			got, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("age -d gave %d bytes that differ from the %d-byte document", len(got), len(want))
			}
		})
	}
}

func TestDecodeReadsAgeCommandOutput(t *testing.T) {
	doc, plain, id, edPub, edPriv := interopSetup(t)
	tests := []struct {
		name string
		args []string // age arguments before -o; {recipients} is replaced by a file of recipients
		dec  Decryption
	}{
		{"age -r", []string{"-r", id.Recipient().String()}, Decryption{Identities: []byte(id.String())}},
		{"age -a -R ssh", []string{"-a", "-R", "{recipients}"}, Decryption{Identities: edPriv}},
		{"age -p", []string{"-p"}, Decryption{Passphrase: passphrase}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.dec.Passphrase != "" {
				if testing.Short() {
					t.Skip("age -p uses scrypt at 2^18")
				}
				// age -p always uses its default cost; accept it here.
				defer SetScryptWorkFactorForTest(defaultScryptLogN)()
			}
			dir := t.TempDir()
			in := writeFile(t, dir, "keys.json", plain)
			out := filepath.Join(dir, "keys.age")
			var args []string
			for _, a := range tt.args {
				if a == "{recipients}" {
					a = writeFile(t, dir, "recipients", []byte("# backup keys\n"+edPub))
				}
				args = append(args, a)
			}
			args = append(args, "-o", out, in)
			stdin := ""
			if tt.dec.Passphrase != "" {
				stdin = passphrase + "\n" + passphrase + "\n"
			}
			runAge(t, stdin, args...)
			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Decode(bytes.NewReader(data), tt.dec)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			sameDoc(t, got, doc)
		})
	}
}
