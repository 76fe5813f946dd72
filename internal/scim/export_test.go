package scim

// LimiterPace exposes the pace of a client's limiter to the external tests
// (0 when unpaced).
func LimiterPace(c *Client) float64 { return c.limiter.Pace() }
