//! The client address of a request: the TCP peer, unless the peer is a trusted proxy
//! (`trusted_proxies`), in which case `X-Forwarded-For` is read from the right, skipping trusted
//! proxies, and the first address that is not one is the client. A client can write anything
//! into `X-Forwarded-For`, so it is never believed from an untrusted peer: otherwise anyone could
//! spread their login attempts over made-up addresses, or write someone else's into the audit.
use std::net::IpAddr;

use axum::http::HeaderMap;

use crate::config::Config;

/// The address that rate limits and the audit trail see.
pub fn client_ip(config: &Config, headers: &HeaderMap, peer: IpAddr) -> IpAddr {
    if !config.is_trusted_proxy(peer) {
        return peer;
    }
    let mut client = peer;
    let hops = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect::<Vec<_>>();
    for hop in hops.iter().rev() {
        let Ok(ip) = hop.parse::<IpAddr>() else {
            // Garbage in the chain: stop at the last address we could trust.
            return client;
        };
        client = ip;
        if !config.is_trusted_proxy(ip) {
            return ip;
        }
    }
    client
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::config::{FileConfig, Overrides};

    fn config(proxies: &[&str]) -> Config {
        Config::from_layers(
            FileConfig {
                trusted_proxies: Some(proxies.iter().map(|p| (*p).to_owned()).collect()),
                ..Default::default()
            },
            &Overrides::default(),
        )
        .unwrap()
    }

    fn xff(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", v.parse().unwrap());
        h
    }

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let peer: IpAddr = "10.0.0.5".parse().unwrap();
        // Not trusted (the default): the peer, whatever the header says.
        assert_eq!(client_ip(&config(&[]), &xff("1.2.3.4"), peer), peer);
        // Trusted: the rightmost untrusted hop; a spoofed left part is skipped.
        let c = config(&["10.0.0.0/8"]);
        assert_eq!(
            client_ip(&c, &xff("6.6.6.6, 1.2.3.4, 10.0.0.9"), peer),
            "1.2.3.4".parse::<IpAddr>().unwrap()
        );
        assert_eq!(client_ip(&c, &HeaderMap::new(), peer), peer);
        assert_eq!(
            client_ip(&c, &xff("nonsense, 10.0.0.7"), peer),
            "10.0.0.7".parse::<IpAddr>().unwrap()
        );
    }
}
