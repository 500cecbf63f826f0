//! Page-view counting without keeping who viewed: a visitor is a SHA-256 of the day's salt, the
//! trip, the client address and its User-Agent. The salt changes every UTC day and the old one
//! is deleted, so a stored hash links a visitor to nothing, not even to their visits of
//! another day or another trip. Addresses are never stored or logged.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use moapi_core::time::now_micros;
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;

use super::store;

/// Who is asking for a page, as far as counting views needs.
pub struct Visitor {
    ip: Option<IpAddr>,
    user_agent: String,
}

impl<S: Send + Sync> FromRequestParts<S> for Visitor {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip());
        let user_agent = parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_string();
        Ok(Visitor {
            ip: client_ip(peer, &parts.headers),
            user_agent,
        })
    }
}

/// The client's address: the peer's, or, when the peer is a proxy on this host or the private
/// network, the last address it appended to `X-Forwarded-For`.
fn client_ip(peer: Option<IpAddr>, headers: &HeaderMap) -> Option<IpAddr> {
    let behind_proxy = peer.is_some_and(|ip| match ip {
        IpAddr::V4(v4) => v4.is_loopback() || v4.is_private(),
        IpAddr::V6(v6) => v6.is_loopback() || (v6.segments()[0] & 0xfe00) == 0xfc00,
    });
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|item| item.trim().parse::<IpAddr>().ok())
        .next_back();
    match forwarded {
        Some(forwarded) if behind_proxy => Some(forwarded),
        _ => peer,
    }
}

fn visitor_hash(salt: &str, trip_id: i64, visitor: &Visitor) -> String {
    let ip = visitor.ip.map(|ip| ip.to_string()).unwrap_or_default();
    let mut hasher = Sha256::new();
    for part in [
        "moapi-visitor-v1",
        salt,
        &trip_id.to_string(),
        &ip,
        &visitor.user_agent,
    ] {
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part.as_bytes());
    }
    hex::encode(&hasher.finalize()[..16])
}

/// The UTC day of an instant in microseconds, as `YYYY-MM-DD`.
pub fn utc_day(micros: i64) -> String {
    chrono::DateTime::from_timestamp_micros(micros)
        .unwrap_or_default()
        .format("%Y-%m-%d")
        .to_string()
}

/// Counts a view of the trip's page now.
pub async fn record(
    conn: &mut AnyConnection,
    trip_id: i64,
    visitor: &Visitor,
) -> Result<(), sqlx::Error> {
    let now = now_micros();
    let day = utc_day(now);
    let salt = store::daily_salt(conn, &day).await?;
    let hash = visitor_hash(&salt, trip_id, visitor);
    store::record_view(conn, trip_id, &day, &hash, now).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn visitor(ip: &str, user_agent: &str) -> Visitor {
        Visitor {
            ip: Some(ip.parse().unwrap()),
            user_agent: user_agent.to_string(),
        }
    }

    #[test]
    fn hashes_tell_visitors_apart_and_never_hold_the_address() {
        let phone = visitor("203.0.113.9", "Phone");
        let hash = visitor_hash("salt", 1, &phone);
        assert_eq!(hash.len(), 32);
        assert!(!hash.contains("203"));
        assert_eq!(
            hash,
            visitor_hash("salt", 1, &visitor("203.0.113.9", "Phone"))
        );
        for other in [
            visitor_hash("salt", 1, &visitor("203.0.113.9", "Laptop")),
            visitor_hash("salt", 1, &visitor("203.0.113.10", "Phone")),
            visitor_hash("salt", 2, &phone),
            visitor_hash("next-day-salt", 1, &phone),
        ] {
            assert_ne!(hash, other);
        }
    }

    #[test]
    fn forwarded_addresses_count_only_behind_a_local_proxy() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            "198.51.100.1, 203.0.113.7".parse().unwrap(),
        );
        let forwarded: IpAddr = "203.0.113.7".parse().unwrap();
        for proxy in ["127.0.0.1", "10.1.2.3", "::1", "fd00::1"] {
            assert_eq!(
                client_ip(Some(proxy.parse().unwrap()), &headers),
                Some(forwarded)
            );
        }
        let direct: IpAddr = "192.0.2.44".parse().unwrap();
        assert_eq!(client_ip(Some(direct), &headers), Some(direct));
        assert_eq!(client_ip(Some(direct), &HeaderMap::new()), Some(direct));
    }

    #[test]
    fn days_are_utc_dates() {
        assert_eq!(utc_day(1_752_537_599_000_000), "2025-07-14");
        assert_eq!(utc_day(1_752_537_600_000_000), "2025-07-15");
    }
}
