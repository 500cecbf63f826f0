//! Outbound HTTP behind an SSRF guard, for every request whose target a tenant chooses
//! (documents fetched by AI imports, webhook deliveries). A URL's host is resolved once, every
//! address is vetted (loopback, private, link-local, unique-local, multicast, unspecified,
//! reserved and cloud-metadata addresses are refused unless an allow-listed CIDR holds them),
//! and the connection goes to the vetted addresses only, so a second DNS answer cannot
//! rebind it. Redirects are followed by hand, each hop vetted like the first; bodies are read
//! up to a size cap and the whole exchange runs under one timeout.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use ipnet::IpNet;
use reqwest::{StatusCode, Url};

use crate::config::OutboundConfig;

const MAX_REDIRECTS: usize = 5;

/// Why a guarded request did not produce a body.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum OutboundError {
    #[error("invalid URL: {0}")]
    InvalidUrl(String),
    #[error("destination refused: {0}")]
    Refused(String),
    #[error("could not resolve {0}")]
    Unresolved(String),
    #[error("request failed: {0}")]
    Request(String),
    #[error("the server answered HTTP {0}")]
    Status(u16),
    #[error("the response is larger than {0} bytes")]
    TooLarge(usize),
    #[error("more than {MAX_REDIRECTS} redirects")]
    TooManyRedirects,
    #[error("no answer within {0} s")]
    Timeout(u64),
}

/// A fetched document.
#[derive(Debug)]
pub struct Fetched {
    /// The URL that answered, after redirects.
    pub url: Url,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

/// The guard and its limits; cheap to build from the configuration.
#[derive(Debug, Clone)]
pub struct Outbound {
    allow: Vec<IpNet>,
    max_bytes: usize,
    timeout: Duration,
}

impl Outbound {
    pub fn new(config: &OutboundConfig) -> Self {
        Outbound {
            allow: config.allow.clone(),
            max_bytes: config.max_bytes,
            timeout: config.timeout,
        }
    }

    /// Whether a connection to `ip` is allowed: public addresses always, others only inside an
    /// allow-listed CIDR.
    pub fn permits(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.allow.iter().any(|net| net.contains(&ip)) || refusal_reason(ip).is_none()
    }

    /// Parses an absolute `http`/`https` URL and, when its host is an address, vets it: what
    /// can be refused without resolving a name is refused at once.
    pub fn check_url(&self, raw: &str) -> Result<Url, OutboundError> {
        let url = parse_url(raw)?;
        if let Some(ip) = literal_ip(&url) {
            self.vet_address(ip)?;
        }
        Ok(url)
    }

    fn vet_address(&self, ip: IpAddr) -> Result<(), OutboundError> {
        if self.permits(ip) {
            return Ok(());
        }
        let reason = refusal_reason(canonical(ip)).unwrap_or("not allowed");
        Err(OutboundError::Refused(format!("{ip} is {reason}")))
    }

    /// Resolves the URL's host and vets every address; any refused address refuses the URL
    /// (a name that also points inside the network is not one to trust).
    pub async fn vet(&self, url: &Url) -> Result<Vec<SocketAddr>, OutboundError> {
        let port = url
            .port_or_known_default()
            .ok_or_else(|| OutboundError::InvalidUrl("no port".into()))?;
        if let Some(ip) = literal_ip(url) {
            self.vet_address(ip)?;
            return Ok(vec![SocketAddr::new(ip, port)]);
        }
        let host = url
            .host_str()
            .ok_or_else(|| OutboundError::InvalidUrl("no host".into()))?;
        let addresses: Vec<SocketAddr> = tokio::net::lookup_host((host, port))
            .await
            .map_err(|_| OutboundError::Unresolved(host.to_string()))?
            .collect();
        if addresses.is_empty() {
            return Err(OutboundError::Unresolved(host.to_string()));
        }
        for address in &addresses {
            self.vet_address(address.ip())?;
        }
        Ok(addresses)
    }

    /// GETs `raw` through the guard, following vetted redirects, within the size cap and the
    /// timeout.
    pub async fn get(&self, raw: &str) -> Result<Fetched, OutboundError> {
        let url = self.check_url(raw)?;
        let seconds = self.timeout.as_secs();
        tokio::time::timeout(self.timeout, self.follow(url))
            .await
            .unwrap_or(Err(OutboundError::Timeout(seconds)))
    }

    async fn follow(&self, mut url: Url) -> Result<Fetched, OutboundError> {
        for _ in 0..=MAX_REDIRECTS {
            let addresses = self.vet(&url).await?;
            let response = pinned_client(&url, &addresses, self.timeout, true)?
                .get(url.clone())
                .send()
                .await
                .map_err(|err| OutboundError::Request(without_url(err)))?;
            let status = response.status();
            if status.is_redirection() {
                url = redirect_target(&url, &response)?;
                continue;
            }
            if status != StatusCode::OK {
                return Err(OutboundError::Status(status.as_u16()));
            }
            return self.read(url, response).await;
        }
        Err(OutboundError::TooManyRedirects)
    }

    async fn read(
        &self,
        url: Url,
        mut response: reqwest::Response,
    ) -> Result<Fetched, OutboundError> {
        if response
            .content_length()
            .is_some_and(|length| length > self.max_bytes as u64)
        {
            return Err(OutboundError::TooLarge(self.max_bytes));
        }
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .map(str::to_string);
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|err| OutboundError::Request(without_url(err)))?
        {
            if body.len() + chunk.len() > self.max_bytes {
                return Err(OutboundError::TooLarge(self.max_bytes));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Fetched {
            url,
            content_type,
            body,
        })
    }
}

/// A client that connects to `addresses` whatever DNS would say now, and never follows a
/// redirect by itself (each hop must be vetted). `verify_tls: false` accepts any certificate,
/// for a webhook receiver that asked for it.
pub fn pinned_client(
    url: &Url,
    addresses: &[SocketAddr],
    timeout: Duration,
    verify_tls: bool,
) -> Result<reqwest::Client, OutboundError> {
    let mut builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .timeout(timeout)
        .danger_accept_invalid_certs(!verify_tls)
        .user_agent(concat!("moapi/", env!("CARGO_PKG_VERSION")));
    if let (None, Some(host)) = (literal_ip(url), url.host_str()) {
        builder = builder.resolve_to_addrs(host, addresses);
    }
    builder
        .build()
        .map_err(|err| OutboundError::Request(err.to_string()))
}

fn redirect_target(from: &Url, response: &reqwest::Response) -> Result<Url, OutboundError> {
    let location = response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|value| value.to_str().ok())
        .ok_or_else(|| OutboundError::Status(response.status().as_u16()))?;
    let target = from
        .join(location)
        .map_err(|err| OutboundError::InvalidUrl(format!("redirect to {location:?}: {err}")))?;
    parse_url(target.as_str())
}

/// The error without the URL reqwest appends: it may carry credentials or tokens.
pub fn without_url(err: reqwest::Error) -> String {
    let err = err.without_url();
    if err.is_timeout() {
        return "timed out".to_string();
    }
    let mut message = err.to_string();
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        message = format!("{message}: {cause}");
        source = cause.source();
    }
    message
}

fn parse_url(raw: &str) -> Result<Url, OutboundError> {
    let url = Url::parse(raw.trim()).map_err(|err| OutboundError::InvalidUrl(err.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(OutboundError::InvalidUrl(format!(
            "scheme {:?} is not http or https",
            url.scheme()
        )));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(OutboundError::InvalidUrl("no host".into()));
    }
    Ok(url)
}

fn literal_ip(url: &Url) -> Option<IpAddr> {
    match url.host()? {
        url::Host::Ipv4(ip) => Some(IpAddr::V4(ip)),
        url::Host::Ipv6(ip) => Some(IpAddr::V6(ip)),
        url::Host::Domain(_) => None,
    }
}

/// IPv4 carried in IPv6 (mapped, NAT64, 6to4) is judged as the IPv4 address it reaches.
fn canonical(ip: IpAddr) -> IpAddr {
    let IpAddr::V6(v6) = ip else { return ip };
    if let Some(v4) = v6.to_ipv4_mapped() {
        return IpAddr::V4(v4);
    }
    let segments = v6.segments();
    let embedded = |high: u16, low: u16| {
        IpAddr::V4(Ipv4Addr::new(
            (high >> 8) as u8,
            high as u8,
            (low >> 8) as u8,
            low as u8,
        ))
    };
    match segments {
        [0x64, 0xff9b, 0, 0, 0, 0, high, low] => embedded(high, low),
        [0x2002, high, low, ..] => embedded(high, low),
        _ => ip,
    }
}

/// Why `ip` is not a public destination, or `None` when it is.
pub fn refusal_reason(ip: IpAddr) -> Option<&'static str> {
    match canonical(ip) {
        IpAddr::V4(ip) => v4_refusal(ip),
        IpAddr::V6(ip) => v6_refusal(ip),
    }
}

fn v4_refusal(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, c, _] = ip.octets();
    if ip == Ipv4Addr::new(169, 254, 169, 254) {
        Some("a cloud metadata address")
    } else if ip.is_unspecified() || a == 0 {
        Some("unspecified")
    } else if ip.is_loopback() {
        Some("a loopback address")
    } else if ip.is_private() || (a == 100 && (b & 0xc0) == 64) {
        Some("a private address")
    } else if ip.is_link_local() {
        Some("a link-local address")
    } else if ip.is_multicast() {
        Some("a multicast address")
    } else if ip.is_broadcast() || a >= 240 {
        Some("a reserved address")
    } else if (a == 192 && b == 0 && c == 0) || (a == 198 && (b & 0xfe) == 18) {
        Some("a special-purpose address")
    } else if ip.is_documentation() {
        Some("a documentation address")
    } else {
        None
    }
}

fn v6_refusal(ip: Ipv6Addr) -> Option<&'static str> {
    let first = ip.segments()[0];
    if ip.is_unspecified() {
        Some("unspecified")
    } else if ip.is_loopback() {
        Some("a loopback address")
    } else if ip.is_multicast() {
        Some("a multicast address")
    } else if (first & 0xfe00) == 0xfc00 {
        Some("a unique-local address")
    } else if (first & 0xffc0) == 0xfe80 || (first & 0xffc0) == 0xfec0 {
        Some("a link-local address")
    } else if first == 0x2001 && ip.segments()[1] == 0x0db8 {
        Some("a documentation address")
    } else if ip.segments()[..6] == [0; 6] {
        // IPv4-compatible addresses (deprecated) reach IPv4 hosts without the checks above.
        Some("a reserved address")
    } else {
        None
    }
}

/// Parses `MOAPI_SSRF_ALLOW`: comma-separated CIDRs (a bare address is its own /32 or /128).
pub fn parse_allow_list(text: &str) -> Result<Vec<IpNet>, String> {
    text.split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| {
            item.parse::<IpNet>()
                .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| format!("{item:?} is not a CIDR (such as 10.0.0.0/8) or an address"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard(allow: &str) -> Outbound {
        Outbound::new(&OutboundConfig {
            allow: parse_allow_list(allow).unwrap(),
            ..OutboundConfig::default()
        })
    }

    #[test]
    fn internal_addresses_are_refused_and_public_ones_pass() {
        let guard = guard("");
        for refused in [
            "127.0.0.1",
            "127.8.9.10",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "100.64.0.1",
            "169.254.169.254",
            "169.254.1.1",
            "0.0.0.0",
            "224.0.0.1",
            "255.255.255.255",
            "::",
            "::1",
            "fc00::1",
            "fd00:ec2::254",
            "fe80::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::a00:1",
            "2002:7f00:1::",
        ] {
            let ip: IpAddr = refused.parse().unwrap();
            assert!(!guard.permits(ip), "{refused} must be refused");
        }
        for public in ["93.184.216.34", "8.8.8.8", "172.32.0.1", "2606:4700::1111"] {
            assert!(guard.permits(public.parse().unwrap()), "{public} is public");
        }
        assert_eq!(
            refusal_reason("169.254.169.254".parse().unwrap()),
            Some("a cloud metadata address")
        );
    }

    #[test]
    fn the_allow_list_opens_exactly_its_networks() {
        let guard = guard("127.0.0.1/32, 10.9.0.0/16,fd00::1");
        assert!(guard.permits("127.0.0.1".parse().unwrap()));
        assert!(guard.permits("::ffff:127.0.0.1".parse().unwrap()));
        assert!(!guard.permits("127.0.0.2".parse().unwrap()));
        assert!(guard.permits("10.9.200.1".parse().unwrap()));
        assert!(!guard.permits("10.8.0.1".parse().unwrap()));
        assert!(guard.permits("fd00::1".parse().unwrap()));
        assert!(parse_allow_list("10.0.0.0/8,nonsense").is_err());
        assert!(parse_allow_list("").unwrap().is_empty());
    }

    #[test]
    fn urls_must_be_http_with_a_host_and_literal_addresses_are_vetted_at_once() {
        let guard = guard("");
        assert!(matches!(
            guard.check_url("ftp://example.com/a.pdf"),
            Err(OutboundError::InvalidUrl(_))
        ));
        assert!(matches!(
            guard.check_url("not a url"),
            Err(OutboundError::InvalidUrl(_))
        ));
        for refused in [
            "http://169.254.169.254/latest/meta-data/",
            "http://[::1]:8080/",
            "http://2130706433/",
            "http://0x7f.1/",
            "http://10.0.0.1/doc.pdf",
        ] {
            assert!(
                matches!(guard.check_url(refused), Err(OutboundError::Refused(_))),
                "{refused}"
            );
        }
        assert!(guard.check_url("https://example.com/trip.pdf").is_ok());
    }

    #[tokio::test]
    async fn names_are_resolved_and_every_address_vetted() {
        let refused = guard("")
            .vet(&Url::parse("http://localhost:9/").unwrap())
            .await;
        assert!(
            matches!(refused, Err(OutboundError::Refused(_))),
            "{refused:?}"
        );
        let allowed = guard("127.0.0.0/8, ::1/128")
            .vet(&Url::parse("http://localhost:9/").unwrap())
            .await
            .unwrap();
        assert!(allowed.iter().all(|address| address.port() == 9));
    }
}
