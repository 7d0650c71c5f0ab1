//! Who is asking: the client address behind a request, for per-client limits.
//!
//! Behind a reverse proxy the socket's peer is the proxy. Each proxy appends the address *it*
//! saw to `X-Forwarded-For`; everything to the left of that was written by whoever connected
//! to it — for the outermost proxy, the client itself, which can write anything there. So the
//! address to believe is the one the outermost *trusted* proxy appended: with `hops` trusted
//! proxies in a row, the `hops`-th entry from the right. Anything else (no header, too few
//! entries, an entry that is not an IP address) falls back to the socket's peer: never a
//! free-form string a client chose, which would let it pick a fresh limiter key per request.
//!
//! [`ClientKey`] groups IPv6 clients by their /64: one household or mobile device commonly
//! holds a whole /64 and can pick a fresh address from it for every request.
//!
//! [`client_ip`] is the one place that answers "which client is this"; per-client caps on
//! connections and streams reuse it.

use axum::http::HeaderMap;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};

/// How far `X-Forwarded-For` is believed: the number of trusted proxies in front of this
/// server (0 = none; the header is ignored).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ProxyTrust {
    /// Trusted proxies in a row in front of the server.
    pub hops: usize,
}

impl ProxyTrust {
    /// From `--trust-forwarded-for` and `--trusted-proxy-hops`.
    pub fn from_args(args: &crate::cli::MessageArgs) -> Self {
        Self {
            hops: if args.trust_forwarded_for {
                usize::try_from(args.trusted_proxy_hops).unwrap_or(usize::MAX)
            } else {
                0
            },
        }
    }
}

/// The client's address: what the outermost trusted proxy saw (see the module docs), else the
/// socket's `peer`. IPv4-mapped IPv6 addresses come back as IPv4.
pub fn client_ip(headers: &HeaderMap, peer: IpAddr, trust: ProxyTrust) -> IpAddr {
    forwarded(headers, trust.hops)
        .unwrap_or(peer)
        .to_canonical()
}

fn forwarded(headers: &HeaderMap, hops: usize) -> Option<IpAddr> {
    if hops == 0 {
        return None;
    }
    // Several header lines count as one list, in order (RFC 9110, 5.3). Split on bytes: a
    // client's non-UTF-8 junk on the left must not hide the entries proxies appended.
    let entries: Vec<&[u8]> = headers
        .get_all("x-forwarded-for")
        .iter()
        .flat_map(|value| value.as_bytes().split(|b| *b == b','))
        .collect();
    let index = entries.len().checked_sub(hops)?;
    let entry = std::str::from_utf8(entries[index]).ok()?.trim();
    parse_ip(entry)
}

/// `192.0.2.1`, `2001:db8::1`, `[2001:db8::1]`, or either with a port.
fn parse_ip(entry: &str) -> Option<IpAddr> {
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| {
            entry
                .strip_prefix('[')
                .and_then(|e| e.strip_suffix(']'))
                .and_then(|e| e.parse::<Ipv6Addr>().ok())
                .map(IpAddr::V6)
        })
}

/// A rate-limiter key for one client: its IPv4 address, or its IPv6 /64 network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClientKey(IpAddr);

impl From<IpAddr> for ClientKey {
    fn from(ip: IpAddr) -> Self {
        match ip.to_canonical() {
            IpAddr::V4(v4) => Self(IpAddr::V4(v4)),
            IpAddr::V6(v6) => {
                let network = u128::from(v6) & !((1u128 << 64) - 1);
                Self(IpAddr::V6(Ipv6Addr::from(network)))
            }
        }
    }
}

impl std::fmt::Display for ClientKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            IpAddr::V4(v4) => write!(f, "{v4}"),
            IpAddr::V6(v6) => write!(f, "{v6}/64"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    const PEER: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 1));

    fn headers(values: &[&[u8]]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for v in values {
            map.append(
                "x-forwarded-for",
                HeaderValue::from_bytes(v).expect("header value"),
            );
        }
        map
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("IP")
    }

    #[test]
    fn the_address_the_trusted_proxy_appended_wins_over_what_the_client_wrote() {
        let one = ProxyTrust { hops: 1 };
        let h = headers(&[b"6.6.6.6, 192.0.2.7"]);
        assert_eq!(client_ip(&h, PEER, one), ip("192.0.2.7"));
        // Two proxies: the outer one appended the client, the inner one the outer proxy.
        let two = ProxyTrust { hops: 2 };
        let h = headers(&[b"6.6.6.6, 192.0.2.7, 10.0.0.9"]);
        assert_eq!(client_ip(&h, PEER, two), ip("192.0.2.7"));
        // Separate header lines are one list.
        let h = headers(&[b"6.6.6.6", b"192.0.2.7"]);
        assert_eq!(client_ip(&h, PEER, one), ip("192.0.2.7"));
    }

    #[test]
    fn without_trust_missing_entries_or_junk_the_peer_is_the_client() {
        let h = headers(&[b"192.0.2.7"]);
        assert_eq!(client_ip(&h, PEER, ProxyTrust { hops: 0 }), PEER);
        assert_eq!(client_ip(&h, PEER, ProxyTrust { hops: 2 }), PEER);
        assert_eq!(
            client_ip(&HeaderMap::new(), PEER, ProxyTrust { hops: 1 }),
            PEER
        );
        for junk in [
            &b"unknown"[..],
            b"",
            b"192.0.2.7 x",
            b"\xff\xfe",
            b"1.2.3.4.5",
        ] {
            assert_eq!(
                client_ip(&headers(&[junk]), PEER, ProxyTrust { hops: 1 }),
                PEER,
                "{junk:?}"
            );
        }
        // Junk on the client's side does not hide the proxy's entry.
        let h = headers(&[b"\xff\xfe, 192.0.2.7"]);
        assert_eq!(client_ip(&h, PEER, ProxyTrust { hops: 1 }), ip("192.0.2.7"));
    }

    #[test]
    fn ports_brackets_and_mapped_addresses_are_understood() {
        let one = ProxyTrust { hops: 1 };
        for (entry, want) in [
            ("192.0.2.7:4711", "192.0.2.7"),
            ("[2001:db8::1]:443", "2001:db8::1"),
            ("[2001:db8::1]", "2001:db8::1"),
            ("::ffff:192.0.2.7", "192.0.2.7"),
        ] {
            let h = headers(&[entry.as_bytes()]);
            assert_eq!(client_ip(&h, PEER, one), ip(want), "{entry}");
        }
    }

    #[test]
    fn ipv6_clients_are_keyed_by_their_64_bit_network() {
        let a = ClientKey::from(ip("2001:db8:1:2:aaaa::1"));
        let b = ClientKey::from(ip("2001:db8:1:2:ffff:1:2:3"));
        let other = ClientKey::from(ip("2001:db8:1:3::1"));
        assert_eq!(a, b);
        assert_ne!(a, other);
        assert_eq!(a.to_string(), "2001:db8:1:2::/64");
        assert_ne!(
            ClientKey::from(ip("192.0.2.7")),
            ClientKey::from(ip("192.0.2.8"))
        );
        assert_eq!(
            ClientKey::from(ip("::ffff:192.0.2.7")),
            ClientKey::from(ip("192.0.2.7"))
        );
    }
}
