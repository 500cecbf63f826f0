//! The operations a vendor reference defines, so that moapi can tell "not built yet" (the
//! dialect's UNIMPLEMENTED / 501) from "no such path" (404). Templates follow the references:
//! `{param}` may share a segment with a literal suffix, as in `/v1/appointments/{id}:cancel`.

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

pub fn lookup<'a>(operations: &'a [Operation], method: &str, path: &str) -> Lookup<'a> {
    let mut path_known = false;
    for operation in operations {
        if path_matches(operation.path, path) {
            if operation.method.eq_ignore_ascii_case(method) {
                return Lookup::Found(operation);
            }
            path_known = true;
        }
    }
    if path_known {
        Lookup::WrongMethod
    } else {
        Lookup::Unknown
    }
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
}
