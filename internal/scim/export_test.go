package scim

// LimiterPace exposes the pace of a client's limiter to the external tests
// (0 when unpaced).
func LimiterPace(c *Client) float64 {
	c.limiter.mu.Lock()
	defer c.limiter.mu.Unlock()
	if l := c.limiter.limiter.Limit(); l < 1e300 {
		return float64(l)
	}
	return 0
}
