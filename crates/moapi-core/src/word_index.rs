//! Word indexes for the list language's `search`. A resource keeps, in a table of its own, one
//! row per distinct word of a text field (lower-cased, split at anything that is not a letter
//! or a digit), written in the same transaction as the resource row. A search on that field is
//! then a word-prefix match answered from an index range (`term >= 'paris' AND term < 'parit'`)
//! instead of a substring scan, with one SQL text for both databases: words compare byte by
//! byte (SQLite's default collation, `COLLATE "C"` in the PostgreSQL DDL), so a prefix range
//! is exact.
//!
//! Word rows also copy some of the resource's columns under the same names, so that a search
//! with filters on those columns is counted from the index alone, without visiting the
//! resource's rows. Each row knows the previous word of its owner (in byte order, `''` for the
//! first): a prefix can match several words of one owner, and only the first of them has its
//! previous word before the prefix, which counts every owner once without a DISTINCT.

use sea_query::{Alias, Condition, Expr, Query, SimpleExpr};

use crate::query::{compile_filter, filter_field, Field, ListRequest, ListSpec, Search};

/// The column holding a word.
pub const TERM_COLUMN: &str = "term";
/// The column holding the owner's previous word, `''` for its first.
pub const PREVIOUS_TERM_COLUMN: &str = "prev_term";

/// A resource's word index of one of its fields.
pub struct WordIndex {
    /// The table of word rows.
    pub table: &'static str,
    /// The word rows' column holding the owner's ID (the spec's `id_column`).
    pub owner_column: &'static str,
    /// The indexed field, by its list-language name.
    pub field: &'static str,
    /// The resource's columns the word rows copy under the same names.
    pub carried: &'static [&'static str],
}

/// The distinct words of `text`, lower-cased, in byte order.
pub fn words(text: &str) -> Vec<String> {
    let mut words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect();
    words.sort_unstable();
    words.dedup();
    words
}

/// The word rows of `text`: each word with the word before it (`""` for the first).
pub fn word_rows(text: &str) -> Vec<(String, String)> {
    let words = words(text);
    let previous = std::iter::once(String::new()).chain(words.iter().cloned());
    words.iter().cloned().zip(previous).collect()
}

/// The least string above every string that starts with `prefix`, if there is one: the prefix
/// with its last character replaced by the next one (a character that has none is dropped).
fn after_prefix(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        let next = (u32::from(last) + 1..=u32::from(char::MAX)).find_map(char::from_u32);
        if let Some(next) = next {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

/// `table.term` starts with `prefix`.
fn starts_with(table: &str, prefix: &str) -> SimpleExpr {
    let term = || Expr::col((Alias::new(table), Alias::new(TERM_COLUMN)));
    let from = term().gte(prefix);
    match after_prefix(prefix) {
        Some(until) => from.and(term().lt(until)),
        None => from,
    }
}

fn never() -> SimpleExpr {
    SimpleExpr::Constant(false.into())
}

impl WordIndex {
    /// The owner whose ID is `owner` has a word starting with `prefix` (one probe of an index
    /// on `(owner_column, term)`).
    fn has_word(&self, alias: &str, owner: Expr, prefix: &str) -> SimpleExpr {
        Expr::exists(
            Query::select()
                .expr(Expr::val(1))
                .from_as(Alias::new(self.table), Alias::new(alias))
                .and_where(Expr::col((Alias::new(alias), Alias::new(self.owner_column))).eq(owner))
                .and_where(starts_with(alias, prefix))
                .to_owned(),
        )
    }

    /// Every word of the search starts a word of the owner's field.
    fn matches_all_words(&self, search: &Search, owner: impl Fn() -> Expr) -> SimpleExpr {
        let words = words(&search.term);
        if words.is_empty() {
            return never();
        }
        words
            .iter()
            .enumerate()
            .map(|(n, word)| self.has_word(&format!("word_{n}"), owner(), word))
            .reduce(SimpleExpr::and)
            .unwrap_or_else(never)
    }
}

impl ListRequest {
    /// The request's condition on the spec's table, with a search on the indexed field as a
    /// word-prefix match through `index` (other searched fields keep the substring match).
    pub fn indexed_condition(&self, spec: &ListSpec, index: &WordIndex) -> Condition {
        let condition = self.filter_condition.clone();
        let Some(search) = &self.search else {
            return condition;
        };
        let owner = || Expr::col((Alias::new(spec.table), Alias::new(spec.id_column)));
        let any = search.fields.iter().fold(Condition::any(), |any, field| {
            if field.name == index.field {
                any.add(index.matches_all_words(search, owner))
            } else {
                any.add(search.substring_match(spec.table, field))
            }
        });
        condition.add(any)
    }

    /// When the request searches the indexed field alone and filters only on carried columns:
    /// its condition on the index table, true for exactly one word row per matching owner.
    /// The caller adds the tenant scope.
    pub fn index_only_condition(&self, spec: &ListSpec, index: &WordIndex) -> Option<Condition> {
        let search = self.search.as_ref()?;
        let [field] = search.fields.as_slice() else {
            return None;
        };
        let carried = |field: &Field| index.carried.contains(&field.column);
        if field.name != index.field
            || !self
                .filters
                .iter()
                .all(|item| filter_field(item, spec).is_some_and(carried))
        {
            return None;
        }
        let words = words(&search.term);
        // The longest word is likely the rarest: its rows drive, the others are probed.
        let (driver, others): (Vec<&String>, Vec<&String>) = {
            let longest = words.iter().max_by_key(|word| word.len())?;
            words.iter().partition(|word| *word == longest)
        };
        let table = index.table;
        let previous = Expr::col((Alias::new(table), Alias::new(PREVIOUS_TERM_COLUMN)));
        let mut condition = Condition::all()
            .add(starts_with(table, driver[0]))
            .add(previous.lt(driver[0].as_str()));
        let owner = || Expr::col((Alias::new(table), Alias::new(index.owner_column)));
        for (n, word) in others.into_iter().enumerate() {
            condition = condition.add(index.has_word(&format!("word_{n}"), owner(), word));
        }
        for item in &self.filters {
            condition = condition.add(compile_filter(item, spec, table).ok()?);
        }
        Some(condition)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lower_cased_distinct_and_sorted() {
        assert_eq!(
            words("Paris, PARIS & Zürich: l'Été 2025!"),
            vec!["2025", "l", "paris", "zürich", "été"]
        );
        assert!(words(" -- ! ").is_empty());
    }

    #[test]
    fn each_word_row_knows_the_word_before_it() {
        assert_eq!(
            word_rows("Rome Paris rome"),
            vec![
                ("paris".to_string(), String::new()),
                ("rome".to_string(), "paris".to_string())
            ]
        );
    }

    #[test]
    fn the_prefix_range_ends_at_the_next_character() {
        assert_eq!(after_prefix("paris").as_deref(), Some("parit"));
        assert_eq!(after_prefix("zü").as_deref(), Some("zý"));
        // No character follows U+10FFFF: the range ends after the character before it.
        assert_eq!(after_prefix("a\u{10FFFF}").as_deref(), Some("b"));
        assert_eq!(after_prefix("\u{10FFFF}"), None);
        // The surrogate gap is skipped.
        assert_eq!(after_prefix("\u{D7FF}").as_deref(), Some("\u{E000}"));
    }
}
