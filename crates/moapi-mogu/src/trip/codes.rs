//! The identifiers the server gives a trip: its `slug` (the public page's address: the title
//! in ASCII plus a random suffix, so equal titles never clash), its `joinCode` (what travellers
//! type to join) and its `code` (`TRIP-001`, numbered per account).

use rand::Rng;

const SLUG_STEM_MAX_CHARS: usize = 60;
const SLUG_SUFFIX_CHARS: usize = 6;
const JOIN_CODE_CHARS: usize = 8;
const LOWER_ALPHANUMERIC: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
const UPPER_ALPHANUMERIC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// A new trip's slug: `paris-summer-vacation-k3x9q2`.
pub fn new_slug(title: &str) -> String {
    format!(
        "{}-{}",
        slugify(title),
        random_chars(LOWER_ALPHANUMERIC, SLUG_SUFFIX_CHARS)
    )
}

/// A new trip's join code: eight characters from `[A-Z0-9]`.
pub fn new_join_code() -> String {
    random_chars(UPPER_ALPHANUMERIC, JOIN_CODE_CHARS)
}

/// The account's `sequence`-th trip code: `TRIP-001`, ..., `TRIP-999`, `TRIP-1000`.
pub fn trip_code(sequence: i64) -> String {
    format!("TRIP-{sequence:03}")
}

fn random_chars(alphabet: &[u8], count: usize) -> String {
    let mut rng = rand::thread_rng();
    (0..count)
        .map(|_| char::from(alphabet[rng.gen_range(0..alphabet.len())]))
        .collect()
}

/// The title in lower-case ASCII words joined by `-`, at most 60 characters; `trip` when the
/// title has no letter or digit that folds to ASCII.
pub fn slugify(title: &str) -> String {
    let mut slug = String::with_capacity(title.len());
    let mut pending_separator = false;
    for c in title.chars().flat_map(char::to_lowercase) {
        let folded = match c {
            'a'..='z' | '0'..='9' => Some(c.to_string()),
            // Apostrophes join a word rather than split it: "Women's" → "womens".
            '\'' | '’' => continue,
            _ => fold_latin(c).map(str::to_string),
        };
        match folded {
            Some(text) => {
                if pending_separator && !slug.is_empty() {
                    slug.push('-');
                }
                pending_separator = false;
                slug.push_str(&text);
            }
            None => pending_separator = true,
        }
    }
    if slug.len() > SLUG_STEM_MAX_CHARS {
        slug.truncate(SLUG_STEM_MAX_CHARS);
        slug.truncate(slug.trim_end_matches('-').len());
    }
    if slug.is_empty() {
        slug.push_str("trip");
    }
    slug
}

/// ASCII spelling of the accented lower-case Latin letters common in place names.
fn fold_latin(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
        'ğ' => "g",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => "i",
        'ł' | 'ľ' => "l",
        'ñ' | 'ń' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
        'œ' => "oe",
        'ř' => "r",
        'ś' | 'š' | 'ş' | 'ș' => "s",
        'ß' => "ss",
        'ť' | 'ţ' | 'ț' => "t",
        'þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' => "u",
        'ý' | 'ÿ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lower_case_ascii_words() {
        assert_eq!(slugify("Paris Summer Vacation"), "paris-summer-vacation");
        assert_eq!(
            slugify("  Côte d’Azur & Provence!! "),
            "cote-dazur-provence"
        );
        assert_eq!(slugify("Kraków → Gdańsk, 2025"), "krakow-gdansk-2025");
        assert_eq!(slugify("Straße der Ÿachts"), "strasse-der-yachts");
        assert_eq!(slugify("東京"), "trip");
        assert_eq!(slugify("--"), "trip");
    }

    #[test]
    fn long_titles_are_cut_at_sixty_characters_without_a_trailing_dash() {
        let slug = slugify(&"word ".repeat(30));
        assert!(slug.len() <= 60, "{slug}");
        assert!(!slug.ends_with('-'), "{slug}");
        assert!(slug.starts_with("word-word"));
        assert_eq!(slugify(&"a".repeat(80)), "a".repeat(60));
    }

    #[test]
    fn new_slugs_end_in_a_random_suffix() {
        let slug = new_slug("Paris Summer Vacation");
        let (stem, suffix) = slug.rsplit_once('-').unwrap();
        assert_eq!(stem, "paris-summer-vacation");
        assert_eq!(suffix.len(), 6);
        assert!(suffix.bytes().all(|b| LOWER_ALPHANUMERIC.contains(&b)));
        assert_ne!(new_slug("x"), new_slug("x"));
    }

    #[test]
    fn join_codes_and_trip_codes_have_the_vendor_shape() {
        let code = new_join_code();
        assert_eq!(code.len(), 8);
        assert!(code.bytes().all(|b| UPPER_ALPHANUMERIC.contains(&b)));
        assert_eq!(trip_code(1), "TRIP-001");
        assert_eq!(trip_code(42), "TRIP-042");
        assert_eq!(trip_code(1234), "TRIP-1234");
    }
}
