//go:build linux || freebsd || openbsd || netbsd || dragonfly

package vault

import (
	"fmt"

	"github.com/godbus/dbus/v5"
	ss "github.com/zalando/go-keyring/secret_service"
)

// getMany reads every item of our service in a few Secret Service calls
// instead of six per item (go-keyring's Get: unlock, search, open session,
// unlock item, get secret, close): one search for service=keytray, the items'
// attributes asked for all at once (pipelined on the bus), and one
// GetSecrets for them all. `keytray list` with 1,000 keys went from 1,000
// lookups to this (see docs/benchmarks.md).
func (k osKeyring) getMany(accounts []string) (bulkRead, error) {
	var out bulkRead
	err := k.call(func() (err error) {
		out, err = secretServiceGetMany(accounts)
		return err
	})
	if err != nil {
		return bulkRead{}, err // out untouched: a call given up on may still write it
	}
	return out, nil
}

// secretServiceGetMany searches the collection go-keyring's Get searches
// (login) for the attributes it searches by, so an account the search does
// not find is one Get would not find either.
func secretServiceGetMany(accounts []string) (bulkRead, error) {
	svc, err := ss.NewSecretService()
	if err != nil {
		return bulkRead{}, err
	}
	collection := svc.GetLoginCollection()
	if err := svc.Unlock(collection.Path()); err != nil {
		return bulkRead{}, err
	}
	paths, err := svc.SearchItems(collection, map[string]string{"service": Service})
	if err != nil {
		return bulkRead{}, err
	}
	want := make(map[string]bool, len(accounts))
	for _, a := range accounts {
		want[a] = true
	}

	// Attributes of every item, the calls sent before any answer is read.
	calls := make([]*dbus.Call, len(paths))
	for i, p := range paths {
		calls[i] = svc.Object("org.freedesktop.secrets", p).Go(
			"org.freedesktop.DBus.Properties.Get", 0, make(chan *dbus.Call, 1),
			"org.freedesktop.Secret.Item", "Attributes")
	}
	account := make(map[dbus.ObjectPath]string, len(paths))
	var items []dbus.ObjectPath
	for i, c := range calls {
		<-c.Done
		var v dbus.Variant
		if err := c.Store(&v); err != nil {
			return bulkRead{}, fmt.Errorf("reading item attributes: %w", err)
		}
		attrs, ok := v.Value().(map[string]string)
		if !ok || attrs["service"] != Service || !want[attrs["username"]] {
			continue
		}
		if _, dup := account[paths[i]]; !dup {
			account[paths[i]] = attrs["username"]
			items = append(items, paths[i])
		}
	}
	out := bulkRead{secrets: make(map[string]string, len(items)), found: make(map[string]bool, len(items))}
	for _, a := range account {
		out.found[a] = true
	}
	if len(items) == 0 {
		return out, nil
	}

	session, err := svc.OpenSession()
	if err != nil {
		return bulkRead{}, err
	}
	defer svc.Close(session)
	var secrets map[dbus.ObjectPath]ss.Secret
	err = svc.Object("org.freedesktop.secrets", "/org/freedesktop/secrets").
		Call("org.freedesktop.Secret.Service.GetSecrets", 0, items, session.Path()).Store(&secrets)
	if err != nil {
		return bulkRead{}, err
	}
	for _, p := range items { // search order
		s, ok := secrets[p]
		if !ok {
			continue // locked on its own: left out, read one by one
		}
		// Two items for one account (made outside Keytray): keep the
		// first, as go-keyring's Get does with its search results.
		if _, seen := out.secrets[account[p]]; !seen {
			out.secrets[account[p]] = string(s.Value)
		}
	}
	return out, nil
}

// accounts lists the account of every item of our service in the login
// collection (go-keyring cannot list), for finding orphaned items.
func (k osKeyring) accounts() ([]string, error) {
	var out []string
	err := k.call(func() (err error) {
		out, err = secretServiceAccounts()
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func secretServiceAccounts() ([]string, error) {
	svc, err := ss.NewSecretService()
	if err != nil {
		return nil, err
	}
	collection := svc.GetLoginCollection()
	if err := svc.Unlock(collection.Path()); err != nil {
		return nil, err
	}
	paths, err := svc.SearchItems(collection, map[string]string{"service": Service})
	if err != nil {
		return nil, err
	}
	calls := make([]*dbus.Call, len(paths))
	for i, p := range paths {
		calls[i] = svc.Object("org.freedesktop.secrets", p).Go(
			"org.freedesktop.DBus.Properties.Get", 0, make(chan *dbus.Call, 1),
			"org.freedesktop.Secret.Item", "Attributes")
	}
	var out []string
	for _, c := range calls {
		<-c.Done
		var v dbus.Variant
		if err := c.Store(&v); err != nil {
			return nil, fmt.Errorf("reading item attributes: %w", err)
		}
		if attrs, ok := v.Value().(map[string]string); ok && attrs["service"] == Service && attrs["username"] != "" {
			out = append(out, attrs["username"])
		}
	}
	return out, nil
}
