package tunnel

import "testing"

func TestAddedHeaderMarksWhatEachTunnelAdds(t *testing.T) {
	cases := []struct {
		provider, name string
		want           bool
	}{
		{Cloudflared, "Cf-Ray", true},
		{Cloudflared, "Cf-Connecting-Ip", true},
		{Cloudflared, "cf-ipcountry", true},
		{Cloudflared, "Cf-Visitor", true},
		{Cloudflared, "Cf-Warp-Tag-Id", true},
		{Cloudflared, "Cdn-Loop", true},
		{Cloudflared, "X-Forwarded-For", true},
		{Cloudflared, "X-Forwarded-Proto", true},
		{Cloudflared, "X-Forwarded-Host", true},
		{Cloudflared, "Ngrok-Trace-Id", false},
		{Cloudflared, "X-Twilio-Signature", false},
		{Cloudflared, "Content-Type", false},
		{Ngrok, "Ngrok-Trace-Id", true},
		{Ngrok, "X-Forwarded-For", true},
		{Ngrok, "Cf-Ray", false},
		{Ngrok, "User-Agent", false},
		{Custom, "Cf-Ray", true},
		{Custom, "Forwarded", true},
		{Custom, "X-Forwarded-Proto", true},
		{Custom, "Stripe-Signature", false},
		{Off, "Cf-Ray", false},
		{Off, "X-Forwarded-For", false},
	}
	for _, c := range cases {
		if got := AddedHeader(c.provider, c.name); got != c.want {
			t.Errorf("AddedHeader(%q, %q) = %v, want %v", c.provider, c.name, got, c.want)
		}
	}
}
