//! The operations a vendor reference defines, so that moapi can tell "not built yet" (the
//! dialect's UNIMPLEMENTED / 501) from "no such path" (404) and "no such method" (405, whose
//! `Allow` header lists the path's methods). Templates follow the references: `{param}` may
//! share a segment with a literal suffix, as in `/v1/appointments/{id}:cancel`.

use std::cmp::Ordering;

use axum::http::{header, HeaderValue};
use axum::response::Response;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    pub method: &'static str,
    pub path: &'static str,
    pub operation_id: &'static str,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Lookup<'a> {
    Found(&'a Operation),
    /// The path exists, but not with this method.
    WrongMethod,
    Unknown,
}

/// The operation of `method` on `path`. A path matched by several templates is the most
/// specific template's (see [`specificity`]): `/v1/appointments/x:cancel` is
/// `{id}:cancel`, not `{id}` with the ID `x:cancel`, and `/v1/appointments/notes` is not
/// an appointment. HEAD is GET without a body, as the router serves it.
pub fn lookup<'a>(operations: &'a [Operation], method: &str, path: &str) -> Lookup<'a> {
    let method = if method.eq_ignore_ascii_case("HEAD") {
        "GET"
    } else {
        method
    };
    let mut found = None;
    let mut path_known = false;
    for_best_matches(operations, path, |operation, better| {
        if better {
            found = None;
        }
        path_known = true;
        if found.is_none() && operation.method.eq_ignore_ascii_case(method) {
            found = Some(operation);
        }
    });
    match (found, path_known) {
        (Some(operation), _) => Lookup::Found(operation),
        (None, true) => Lookup::WrongMethod,
        (None, false) => Lookup::Unknown,
    }
}

/// [`lookup`] for a request the router took through the route `route` (its template, as
/// `MatchedPath` gives it). A route more specific than the catalog's templates for the path (a
/// literal segment where they have a parameter, as moapi's alias
/// `/v1/webhooks/deliveries:list` beside the vendor's `/v1/webhooks/{id}`) is an operation of
/// moapi's own, which the catalog knows nothing of: `Unknown`.
pub fn lookup_routed<'a>(
    operations: &'a [Operation],
    method: &str,
    path: &str,
    route: &str,
) -> Lookup<'a> {
    let mut best = None;
    for_best_matches(operations, path, |operation, better| {
        if better {
            best = Some(operation.path);
        }
    });
    match best {
        Some(best) if specificity(route).cmp(specificity(best)) == Ordering::Greater => {
            Lookup::Unknown
        }
        _ => lookup(operations, method, path),
    }
}

/// Methods in the order `Allow` lists them.
const METHODS: [&str; 9] = [
    "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT",
];

/// The `Allow` value of `path`: the methods of its most specific templates (GET brings HEAD),
/// or `None` when no template matches it.
pub fn allowed_methods(operations: &[Operation], path: &str) -> Option<String> {
    let mut methods = 0u16;
    let mut path_known = false;
    for_best_matches(operations, path, |operation, better| {
        if better {
            methods = 0;
        }
        path_known = true;
        if let Some(bit) = METHODS
            .iter()
            .position(|m| m.eq_ignore_ascii_case(operation.method))
        {
            methods |= 1 << bit;
            if bit == 0 {
                methods |= 1 << 1;
            }
        }
    });
    path_known.then(|| {
        METHODS
            .iter()
            .enumerate()
            .filter(|(bit, _)| methods & (1 << bit) != 0)
            .map(|(_, method)| *method)
            .collect::<Vec<_>>()
            .join(",")
    })
}

/// Sets `Allow` on a 405 answer from the catalog; a path the catalog does not know keeps the
/// header it has (the router names the methods its routes serve).
pub fn set_allow(response: &mut Response, operations: &[Operation], path: &str) {
    let allowed = allowed_methods(operations, path).and_then(|v| HeaderValue::from_str(&v).ok());
    if let Some(allowed) = allowed {
        response.headers_mut().insert(header::ALLOW, allowed);
    }
}

/// Calls `visit` with each operation whose template matches `path` and is at least as
/// specific as every template seen before; `better` says that it outranks those seen before,
/// whose findings the caller then drops.
fn for_best_matches<'a>(
    operations: &'a [Operation],
    path: &str,
    mut visit: impl FnMut(&'a Operation, bool),
) {
    let mut best: Option<&str> = None;
    for operation in operations {
        if !path_matches(operation.path, path) {
            continue;
        }
        let rank = best.map_or(Ordering::Greater, |best| {
            specificity(operation.path).cmp(specificity(best))
        });
        match rank {
            Ordering::Less => {}
            Ordering::Equal => visit(operation, false),
            Ordering::Greater => {
                best = Some(operation.path);
                visit(operation, true);
            }
        }
    }
}

/// How specific a template is, segment by segment from the left: a literal segment outranks a
/// parameter with a literal prefix or suffix (`{id}:cancel`), which outranks a bare parameter.
/// The router (matchit) prefers static segments the same way, so catalog and router agree on
/// what a path is.
fn specificity(template: &str) -> impl Iterator<Item = u8> + '_ {
    template
        .split('/')
        .map(|segment| match (segment.find('{'), segment.find('}')) {
            (Some(open), Some(close)) if open == 0 && close + 1 == segment.len() => 0,
            (Some(_), Some(_)) => 1,
            _ => 2,
        })
}

pub fn path_matches(template: &str, path: &str) -> bool {
    let mut template_segments = template.split('/');
    let mut path_segments = path.split('/');
    loop {
        match (template_segments.next(), path_segments.next()) {
            (None, None) => return true,
            (Some(t), Some(p)) if segment_matches(t, p) => continue,
            _ => return false,
        }
    }
}

fn segment_matches(template: &str, segment: &str) -> bool {
    let (Some(open), Some(close)) = (template.find('{'), template.find('}')) else {
        return template == segment;
    };
    let (prefix, suffix) = (&template[..open], &template[close + 1..]);
    segment.len() > prefix.len() + suffix.len()
        && segment.starts_with(prefix)
        && segment.ends_with(suffix)
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPS: &[Operation] = &[
        Operation {
            method: "POST",
            path: "/v1/appointments/{id}:cancel",
            operation_id: "Cancel",
        },
        Operation {
            method: "GET",
            path: "/v1/appointments/{id}",
            operation_id: "Get",
        },
        Operation {
            method: "POST",
            path: "/v1/appointments:list",
            operation_id: "List",
        },
        Operation {
            method: "POST",
            path: "/v1/appointments/notes",
            operation_id: "CreateNote",
        },
    ];

    #[test]
    fn templates_match_whole_and_suffixed_segments() {
        assert_eq!(
            lookup(OPS, "POST", "/v1/appointments/apt_1:cancel"),
            Lookup::Found(&OPS[0])
        );
        assert_eq!(
            lookup(OPS, "get", "/v1/appointments/apt_1"),
            Lookup::Found(&OPS[1])
        );
        assert_eq!(
            lookup(OPS, "DELETE", "/v1/appointments/apt_1"),
            Lookup::WrongMethod
        );
        assert_eq!(
            lookup(OPS, "POST", "/v1/appointments:list"),
            Lookup::Found(&OPS[2])
        );
        // An empty ID is no `{id}:cancel`, but the segment still names some appointment `{id}`.
        assert_eq!(
            lookup(OPS, "POST", "/v1/appointments/:cancel"),
            Lookup::WrongMethod
        );
        assert_eq!(lookup(OPS, "GET", "/v1/appointments/a/b"), Lookup::Unknown);
    }

    #[test]
    fn the_most_specific_template_decides() {
        // `{id}` also matches `x:cancel` and `notes`; the router would take them through it.
        assert_eq!(
            lookup(OPS, "GET", "/v1/appointments/apt_1:cancel"),
            Lookup::WrongMethod
        );
        assert_eq!(
            allowed_methods(OPS, "/v1/appointments/apt_1:cancel").as_deref(),
            Some("POST")
        );
        assert_eq!(
            lookup(OPS, "GET", "/v1/appointments/notes"),
            Lookup::WrongMethod
        );
        assert_eq!(
            allowed_methods(OPS, "/v1/appointments/notes").as_deref(),
            Some("POST")
        );
        // An unknown verb is no template's suffix: the segment is an `{id}`.
        assert_eq!(
            allowed_methods(OPS, "/v1/appointments/apt_1:archive").as_deref(),
            Some("GET,HEAD")
        );
        assert_eq!(allowed_methods(OPS, "/v1/appointments/a/b"), None);
    }

    #[test]
    fn a_route_more_specific_than_the_catalog_is_its_own() {
        let path = "/v1/appointments/deliveries:list";
        assert_eq!(lookup(OPS, "POST", path), Lookup::WrongMethod);
        assert_eq!(
            lookup_routed(OPS, "POST", path, "/v1/appointments/deliveries:list"),
            Lookup::Unknown
        );
        // A route no more specific than the catalog's template is the catalog's to judge.
        assert_eq!(
            lookup_routed(
                OPS,
                "POST",
                "/v1/appointments/apt_1",
                "/v1/appointments/{id}"
            ),
            Lookup::WrongMethod
        );
        assert_eq!(
            lookup_routed(
                OPS,
                "GET",
                "/v1/appointments/apt_1:cancel",
                "/v1/appointments/{id}"
            ),
            Lookup::WrongMethod
        );
    }

    #[test]
    fn head_is_get() {
        assert_eq!(
            lookup(OPS, "HEAD", "/v1/appointments/apt_1"),
            Lookup::Found(&OPS[1])
        );
        assert_eq!(
            lookup(OPS, "HEAD", "/v1/appointments:list"),
            Lookup::WrongMethod
        );
    }
}
