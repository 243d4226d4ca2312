package store

import (
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// The settings bucket holds one record a key.
var (
	bucketSettings = []byte("settings")
	keyTunnel      = []byte("tunnel")
	// keyUnsortedRules holds the rules of captures of no project (see
	// UnsortedRules).
	keyUnsortedRules = []byte("unsortedRules")
)

// TunnelSettings are the window's Public URL choices. They live in the store
// rather than in the desktop preferences because NgrokAuthtoken is a secret,
// kept where the projects' secrets are.
type TunnelSettings struct {
	// Provider is "" (off), "cloudflared", "ngrok" or "custom": the tunnel
	// to start with the app.
	Provider        string `json:"provider"`
	CloudflaredPath string `json:"cloudflaredPath,omitempty"`
	NgrokAuthtoken  string `json:"ngrokAuthtoken,omitempty"`
	NgrokDomain     string `json:"ngrokDomain,omitempty"`
	CustomURL       string `json:"customURL,omitempty"`
	// LastURL is the public URL the tunnel last had: a quick tunnel gets a
	// new one on every start, and the window tells the user when the URL
	// they pasted into a platform no longer works.
	LastURL string `json:"lastURL,omitempty"`
}

// TunnelSettings returns the saved Public URL settings; a store that never
// saved any returns the zero value (no tunnel).
func (s *Store) TunnelSettings() (TunnelSettings, error) {
	var ts TunnelSettings
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSettings)
		if b == nil {
			return nil
		}
		v := b.Get(keyTunnel)
		if v == nil {
			return nil
		}
		return json.Unmarshal(v, &ts)
	})
	if err != nil {
		return TunnelSettings{}, fmt.Errorf("read tunnel settings: %w", err)
	}
	return ts, nil
}

// PutTunnelSettings saves the Public URL settings.
func (s *Store) PutTunnelSettings(ts TunnelSettings) error {
	v, err := json.Marshal(ts)
	if err != nil {
		return fmt.Errorf("save tunnel settings: %w", err)
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketSettings)
		if err != nil {
			return err
		}
		return b.Put(keyTunnel, v)
	})
	if err != nil {
		return fmt.Errorf("save tunnel settings: %w", err)
	}
	return nil
}
